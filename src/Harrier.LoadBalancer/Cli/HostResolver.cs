using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Harrier.LoadBalancer.Cli;

/// <summary>
/// Task host name → IPv4, as marathon-lb resolved agent host names: an address is itself, <c>--resolve HOST=IP</c>
/// entries win, anything else goes to the system resolver (answers cached, at most <see cref="Capacity"/>
/// names, as marathon-lb's LRU cache; a miss is asked again next time, so an agent that joins DNS late is found).
/// </summary>
public sealed class HostResolver(IReadOnlyDictionary<string, string> pinned, Func<string, IPAddress[]>? lookup = null)
{
    public const int Capacity = 1000;

    private readonly Func<string, IPAddress[]> lookup = lookup ?? Dns.GetHostAddresses;
    private readonly ConcurrentDictionary<string, string> cache = new(StringComparer.OrdinalIgnoreCase);

    public string? Resolve(string host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }
        if (IPAddress.TryParse(host, out var literal))
        {
            return literal.AddressFamily == AddressFamily.InterNetwork ? literal.ToString() : null;
        }
        if (pinned.TryGetValue(host, out var ip))
        {
            return ip;
        }
        if (cache.TryGetValue(host, out var cached))
        {
            return cached;
        }
        string? answer;
        try
        {
            answer = lookup(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)?.ToString();
        }
        catch (SocketException)
        {
            answer = null;
        }
        catch (ArgumentException)
        {
            answer = null;
        }
        if (answer is null)
        {
            return null;
        }
        if (cache.Count >= Capacity)
        {
            cache.Clear();
        }
        cache[host] = answer;
        return answer;
    }
}
