using System.Net;
using System.Text.Json;

namespace Harrier.Networking.Isolation;

/// <summary>
/// The host's public interface (Mesos' <c>eth0</c>) as the port-mapping isolator copies it into every container: its
/// IPv4 address and prefix, MAC address and MTU, and the default gateway when there is one.
/// </summary>
public sealed record PublicInterface(string Name, IPAddress Address, int Prefix, string Mac, int Mtu, IPAddress? Gateway)
{
    /// <summary>Reads <paramref name="name"/>, or, when null, the interface of the default route (else the only other
    /// interface with an IPv4 address) of <paramref name="host"/>.</summary>
    public static async Task<PublicInterface> DetectAsync(HostNamespace host, string? name, CancellationToken cancellationToken = default)
    {
        var routes = JsonDocument.Parse(await host.IpAsync(["-j", "-4", "route", "show", "default"], cancellationToken: cancellationToken));
        string? defaultDevice = null;
        IPAddress? gateway = null;
        foreach (var route in routes.RootElement.EnumerateArray())
        {
            var dev = route.TryGetProperty("dev", out var d) ? d.GetString() : null;
            if (name is not null && dev != name)
            {
                continue;
            }
            defaultDevice ??= dev;
            if (gateway is null && route.TryGetProperty("gateway", out var g) && IPAddress.TryParse(g.GetString(), out var parsed))
            {
                gateway = parsed;
            }
        }
        var links = JsonDocument.Parse(await host.IpAsync(["-j", "addr", "show"], cancellationToken: cancellationToken));
        var candidates = new List<PublicInterface>();
        foreach (var link in links.RootElement.EnumerateArray())
        {
            var ifname = link.GetProperty("ifname").GetString() ?? "";
            if (ifname == "lo" || !link.TryGetProperty("addr_info", out var addresses))
            {
                continue;
            }
            foreach (var a in addresses.EnumerateArray())
            {
                if (a.TryGetProperty("family", out var f) && f.GetString() == "inet" && IPAddress.TryParse(a.GetProperty("local").GetString(), out var address))
                {
                    var mac = link.TryGetProperty("address", out var m) ? m.GetString() ?? "" : "";
                    candidates.Add(new PublicInterface(ifname, address, a.GetProperty("prefixlen").GetInt32(), mac, link.GetProperty("mtu").GetInt32(), null));
                    break;
                }
            }
        }
        var wanted = name ?? defaultDevice;
        if (wanted is not null)
        {
            var chosen = candidates.FirstOrDefault(c => c.Name == wanted)
                ?? throw new NetworkSetupException($"the public interface {wanted} does not exist or has no IPv4 address");
            return Checked(chosen with { Gateway = gateway });
        }
        return candidates.Count == 1
            ? Checked(candidates[0])
            : throw new NetworkSetupException("cannot tell the public interface: there is no default route and "
                + (candidates.Count == 0 ? "no interface has an IPv4 address" : "several interfaces have IPv4 addresses") + " (name it with --eth0-name)");
    }

    private static PublicInterface Checked(PublicInterface candidate) =>
        candidate.Mac.Length == 17 ? candidate : throw new NetworkSetupException($"the public interface {candidate.Name} has no Ethernet address");
}
