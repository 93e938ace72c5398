using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Harrier.Cli.Tests.Fakes;

/// <summary>
/// A one-connection HTTP/1.1 server on loopback that writes raw bytes, so a test controls exactly when headers and
/// each chunk of a chunked body leave the socket.
/// </summary>
public sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? _certificate;

    /// <param name="certificate">Serve HTTPS with this certificate (with its private key).</param>
    public RawHttpServer(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _listener.Start();
    }

    public Uri Url => new($"{(_certificate is null ? "http" : "https")}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>The whole request head (request line and headers) of the last accepted request.</summary>
    public string LastHead { get; private set; } = "";

    /// <summary>Accepts one connection, reads the request head, and hands back its request line and a writer.</summary>
    public async Task<(string RequestLine, Func<string, Task> Write, Action Close)> AcceptAsync(CancellationToken cancellationToken)
    {
        var socket = await _listener.AcceptTcpClientAsync(cancellationToken);
        Stream stream = socket.GetStream();
        if (_certificate is not null)
        {
            var tls = new SslStream(stream);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, cancellationToken);
            stream = tls;
        }
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer, cancellationToken) == 1)
        {
            head.Append((char)buffer[0]);
        }
        LastHead = head.ToString();
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
