using System.Net;
using System.Net.Sockets;

namespace Harrier.Bench;

/// <summary>A TCP relay on 127.0.0.1 in front of another loopback port that counts the bytes sent back to clients
/// (what a registry served).</summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;
    private readonly int _target;
    private long _served;

    public CountingProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Bytes sent from the target to clients so far.</summary>
    public long Served => Interlocked.Read(ref _served);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => RelayAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        lock (_clients)
        {
            _clients.Add(client);
            _clients.Add(upstream);
        }
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            var down = client.GetStream();
            var up = upstream.GetStream();
            var toServer = PumpAsync(down, up, count: false);
            var toClient = PumpAsync(up, down, count: true);
            await Task.WhenAny(toServer, toClient);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool count)
    {
        var buffer = new byte[64 << 10];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                if (count)
                {
                    Interlocked.Add(ref _served, n);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }
        await _accepting;
        _stop.Dispose();
    }
}
