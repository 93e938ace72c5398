using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Harrier.Api.Http;

/// <summary>
/// Refuses requests before any endpoint sees them, each with Marathon's JSON body: a request target or headers over
/// the limits (414, 431), a declared body over the server's limit (413), a <c>Host</c> that is not a loopback name
/// on a loopback-bound server (421, against DNS rebinding), and a body that is not JSON (415: a form or
/// <c>text/plain</c> post is what a web page can send cross-site without a CORS preflight).
/// </summary>
internal static class RequestGuard
{
    /// <summary>The agents' log upload carries a task's raw output, not JSON.</summary>
    private const string RawBodyPrefix = "/harrier/v1/agents/logs/";

    /// <summary>Writes the refusal and returns true, or returns false for a request that may go on.</summary>
    public static async Task<bool> RejectAsync(HttpContext context, RequestGuardOptions options)
    {
        var (status, message) = Check(context, options);
        if (status == 0)
        {
            return false;
        }
        await JsonResponse.MessageAsync(context, status, message!);
        return true;
    }

    internal static (int Status, string? Message) Check(HttpContext context, RequestGuardOptions options)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString).ToString();
        if (target.Length > options.MaxRequestTargetLength)
        {
            return (414, $"URI Too Long: the request target has {target.Length} characters, at most {options.MaxRequestTargetLength} are accepted");
        }
        var (count, bytes) = HeaderSize(request.Headers);
        if (count > options.MaxHeaderCount || bytes > options.MaxHeadersBytes)
        {
            return (431, $"Request Header Fields Too Large: {count} fields, {bytes} bytes; at most {options.MaxHeaderCount} fields and {options.MaxHeadersBytes} bytes are accepted");
        }
        if (options.LoopbackHostsOnly && !IsLoopbackHost(request.Headers.Host.ToString()))
        {
            return (421, $"Misdirected Request: this server listens on a loopback address and answers only for localhost, 127.0.0.1 or [::1], not for Host '{Printable(request.Headers.Host.ToString())}'");
        }
        if (request.ContentLength is { } length && context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } max && length > max)
        {
            return (413, $"Request body too large: {length} bytes, at most {max} are accepted");
        }
        var method = request.Method;
        if ((HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method))
            && HasBody(context)
            && !request.Path.StartsWithSegments(RawBodyPrefix.TrimEnd('/'), StringComparison.Ordinal)
            && !IsJson(request.ContentType))
        {
            var given = string.IsNullOrEmpty(request.ContentType) ? "none" : $"'{Printable(request.ContentType)}'";
            return (415, $"Unsupported Media Type: request bodies must be application/json (Content-Type given: {given})");
        }
        return (0, null);
    }

    /// <summary>application/json or application/*+json, in UTF-8 (a charset parameter, if any, must say so).</summary>
    internal static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }
        var type = media.MediaType.ToString();
        var json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var charset = media.Charset.ToString();
        return json && (charset.Length == 0 || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>localhost, an address in 127.0.0.0/8 or ::1, with or without a port.</summary>
    internal static bool IsLoopbackHost(string host)
    {
        if (host.Length == 0)
        {
            // HTTP/1.0 without Host: no browser sends that.
            return true;
        }
        string name;
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            if (end < 0 || (end + 1 < host.Length && !IsPort(host[(end + 1)..])))
            {
                return false;
            }
            name = host[1..end];
        }
        else
        {
            var colon = host.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && !IsPort(host[colon..]))
            {
                return false;
            }
            name = colon >= 0 ? host[..colon] : host;
        }
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var ip) && IPAddress.IsLoopback(ip) && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? host.StartsWith('[') : IsDottedQuad(name)));
    }

    private static bool IsPort(string colonAndPort) =>
        colonAndPort.Length > 1 && colonAndPort[0] == ':' && colonAndPort.Length <= 6 && colonAndPort[1..].All(char.IsAsciiDigit);

    /// <summary>IPAddress.TryParse takes "127.1" and "2130706433" too; only the dotted form is a loopback literal here.</summary>
    private static bool IsDottedQuad(string name) => name.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));

    private static bool HasBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength is > 0;

    private static (int Count, long Bytes) HeaderSize(IHeaderDictionary headers)
    {
        var count = 0;
        long bytes = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + (value?.Length ?? 0) + 4;
            }
        }
        return (count, bytes);
    }

    /// <summary>At most 100 printable ASCII characters of a client's value, for messages.</summary>
    private static string Printable(string value)
    {
        var cut = value.Length > 100 ? value[..100] + "…" : value;
        return new string([.. cut.Select(c => c is >= ' ' and < (char)127 or '…' ? c : '?')]);
    }
}
