using System.Globalization;
using System.Net;

namespace Harrier.Dns.Records;

/// <summary>Splits <c>host:port</c> and <c>[v6]:port</c> as Go's <c>net.SplitHostPort</c> does.</summary>
internal static class HostPort
{
    public static bool TrySplit(string text, out string host, out string port)
    {
        host = port = "";
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return false;
        }
        host = text[..colon];
        port = text[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            return false;
        }
        return true;
    }

    public static IPAddress? Ip(string host) => IPAddress.TryParse(host, out var ip) ? ip : null;

    public static string Join(string host, int port) =>
        (host.Contains(':') ? "[" + host + "]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);
}
