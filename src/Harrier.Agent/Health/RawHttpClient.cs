using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Harrier.Agent.Health;

/// <summary>
/// A minimal HTTP/1.1 GET over a fresh connection ("Connection: close"), optionally over TLS that trusts every
/// certificate and skips hostname checks (as Marathon's HTTPS checks do). It reads the status line itself, so a 1xx
/// answer is seen as such instead of hanging the way HttpClient waits for a final answer, and it costs a socket and
/// one pooled buffer per check rather than a handler pipeline.
/// </summary>
internal static class RawHttpClient
{
    public const int MaxBody = 4096;
    private const int BufferSize = 8192;

    // Marathon's HTTPS checks trust every certificate: tasks serve self-signed ones on loopback.
#pragma warning disable CA5359
    private static readonly SslClientAuthenticationOptions TrustAll = new()
    {
        RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        TargetHost = "",
    };
#pragma warning restore CA5359

    /// <summary>
    /// GETs <paramref name="path"/>; throws on connection errors and malformed answers. With
    /// <paramref name="readBody"/> it also reads the headers and up to <see cref="MaxBody"/> bytes of the body.
    /// </summary>
    public static async Task<RawHttpResponse> GetAsync(IPAddress address, int port, string path, bool tls, bool readBody, CancellationToken cancellationToken)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
        await using var network = new NetworkStream(socket, ownsSocket: false);
        Stream stream = network;
        SslStream? ssl = null;
        if (tls)
        {
            ssl = new SslStream(network, leaveInnerStreamOpen: true);
            await ssl.AuthenticateAsClientAsync(TrustAll, cancellationToken);
            stream = ssl;
        }
        try
        {
            var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
            var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: harrier-agent\r\nAccept: */*\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(request, cancellationToken);
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                return await ReadAsync(stream, buffer, readBody, cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        finally
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync();
            }
        }
    }

    private static async Task<RawHttpResponse> ReadAsync(Stream stream, byte[] buffer, bool readBody, CancellationToken cancellationToken)
    {
        var filled = 0;
        var headerEnd = -1;
        while (true)
        {
            var span = buffer.AsSpan(0, filled);
            var lineEnd = span.IndexOf("\r\n"u8);
            if (lineEnd >= 0 && !readBody)
            {
                return ParseStatus(span[..lineEnd]);
            }
            headerEnd = span.IndexOf("\r\n\r\n"u8);
            if (headerEnd >= 0)
            {
                break;
            }
            if (filled == buffer.Length)
            {
                throw new InvalidDataException("HTTP response headers too long");
            }
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                throw new IOException(filled == 0 ? "The server closed the connection without answering" : "The server closed the connection in the response headers");
            }
            filled += read;
        }
        var head = Encoding.ASCII.GetString(buffer, 0, headerEnd);
        var lines = head.Split("\r\n");
        var status = ParseStatus(Encoding.ASCII.GetBytes(lines[0]));
        string? contentType = null;
        int? contentLength = null;
        var chunked = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                contentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
        }
        // Move what already arrived of the body to the front, then read until the body, the cap or the connection ends.
        var bodyStart = headerEnd + 4;
        var have = filled - bodyStart;
        Buffer.BlockCopy(buffer, bodyStart, buffer, 0, have);
        var want = status.Status is < 200 or 204 or 304 ? 0 : chunked ? BufferSize : Math.Min(contentLength ?? BufferSize, BufferSize);
        while (have < want)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(have, want - have), cancellationToken);
            if (read == 0)
            {
                break;
            }
            have += read;
        }
        var body = chunked ? Dechunk(buffer.AsSpan(0, Math.Min(have, want))) : buffer.AsSpan(0, Math.Min(have, want)).ToArray();
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxBody));
        return status with { ContentType = contentType, Body = text };
    }

    private static RawHttpResponse ParseStatus(ReadOnlySpan<byte> line)
    {
        // "HTTP/1.1 200 OK": version, code, optional reason phrase.
        var text = Encoding.ASCII.GetString(line);
        var parts = text.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || parts[1].Length != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidDataException($"Malformed HTTP status line '{text}'");
        }
        return new RawHttpResponse(status, parts.Length > 2 ? parts[2] : "");
    }

    /// <summary>Decodes as many whole or partial chunks as the buffer holds (the body is capped anyway).</summary>
    private static byte[] Dechunk(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>(data.Length);
        while (data.Length > 0)
        {
            var lineEnd = data.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }
            var sizeText = Encoding.ASCII.GetString(data[..lineEnd]).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }
            data = data[(lineEnd + 2)..];
            var take = Math.Min(size, data.Length);
            output.AddRange(data[..take]);
            data = data[take..];
            if (data.Length >= 2)
            {
                data = data[2..];
            }
        }
        return [.. output];
    }
}
