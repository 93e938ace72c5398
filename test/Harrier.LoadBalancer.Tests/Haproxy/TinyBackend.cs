using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harrier.LoadBalancer.Tests.Haproxy;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (free port) answering every request with its own name. <see cref="Hold"/>
/// makes the following requests wait (they are counted in <see cref="Waiting"/>) until <see cref="Release"/>.
/// </summary>
internal sealed class TinyBackend : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private TaskCompletionSource? _gate;
    private int _waiting;
    private int _served;

    public TinyBackend(string name)
    {
        Name = name;
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    public int Port { get; }

    public int Waiting => Volatile.Read(ref _waiting);

    public int Served => Volatile.Read(ref _served);

    /// <summary>The request lines received (<c>GET / HTTP/1.1</c>), in order.</summary>
    public ConcurrentQueue<string> RequestLines { get; } = new();

    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Interlocked.Exchange(ref _gate, null)?.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }
                    request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                var text = request.ToString();
                RequestLines.Enqueue(text[..text.IndexOf('\r', StringComparison.Ordinal)]);
                if (_gate is { } gate)
                {
                    Interlocked.Increment(ref _waiting);
                    await gate.Task.WaitAsync(_stop.Token);
                    Interlocked.Decrement(ref _waiting);
                }
                var body = Encoding.ASCII.GetBytes(Name);
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
                Interlocked.Increment(ref _served);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}
