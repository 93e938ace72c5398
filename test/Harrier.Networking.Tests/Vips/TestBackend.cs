using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harrier.Networking.Tests.Vips;

/// <summary>
/// A backend inside a test namespace: on TCP it writes its name on every accepted connection and then echoes lines
/// (so a test can tell which backend a connection reached, and that an established one still works); on UDP it
/// answers every datagram with its name. Counts the connections it accepted.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly Socket _tcp;
    private readonly Socket _udp;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<Socket> _accepted = [];
    private int _connections;

    public TestBackend(string ns, string name, int port)
    {
        Name = name;
        _tcp = NamespaceSockets.In(ns, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.Any, port));
            s.Listen(128);
            return s;
        });
        _udp = NamespaceSockets.In(ns, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Any, port));
            return s;
        });
        _loops.Add(AcceptLoopAsync());
        _loops.Add(UdpLoopAsync());
    }

    public string Name { get; }

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _tcp.AcceptAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                lock (_accepted)
                {
                    _accepted.Add(client);
                }
                _ = ServeAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Name + "\n"), _stop.Token);
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(Name + ":" + line + "\n"), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away or the backend stopped.
        }
    }

    private async Task UdpLoopAsync()
    {
        var buffer = new byte[1500];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                await _udp.SendToAsync(Encoding.ASCII.GetBytes(Name), SocketFlags.None, received.RemoteEndPoint, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Dispose();
        _udp.Dispose();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
