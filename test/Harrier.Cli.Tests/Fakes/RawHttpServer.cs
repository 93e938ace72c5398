using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harrier.Cli.Tests.Fakes;

/// <summary>
/// A one-connection HTTP/1.1 server on loopback that writes raw bytes, so a test controls exactly when headers and
/// each chunk of a chunked body leave the socket.
/// </summary>
public sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public RawHttpServer() => _listener.Start();

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Accepts one connection, reads the request head, and hands back its request line and a writer.</summary>
    public async Task<(string RequestLine, Func<string, Task> Write, Action Close)> AcceptAsync(CancellationToken cancellationToken)
    {
        var socket = await _listener.AcceptTcpClientAsync(cancellationToken);
        var stream = socket.GetStream();
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer, cancellationToken) == 1)
        {
            head.Append((char)buffer[0]);
        }
        async Task Write(string text)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        void Close() => socket.Dispose();
        return (head.ToString().Split("\r\n")[0], Write, Close);
    }

    public static string Chunk(string text) => $"{Encoding.UTF8.GetByteCount(text):x}\r\n{text}\r\n";

    public void Dispose() => _listener.Stop();
}
