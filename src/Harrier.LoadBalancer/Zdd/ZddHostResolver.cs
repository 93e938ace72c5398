using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// An agent host name to the IPv4 address marathon-lb would name the server by (its first A record; an address is
/// itself), cached for the run. Unresolvable hosts give null: their tasks are never counted as drained.
/// </summary>
internal sealed class ZddHostResolver
{
    private readonly ConcurrentDictionary<string, string?> _cache = new(StringComparer.Ordinal);

    public string? Resolve(string host) => _cache.GetOrAdd(host, Lookup);

    private static string? Lookup(string host)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return literal.ToString();
        }
        try
        {
            return Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)?.ToString();
        }
        catch (SocketException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
