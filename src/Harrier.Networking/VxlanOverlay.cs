using System.Globalization;
using System.Text;
using Harrier.Core.Networks;

namespace Harrier.Networking;

/// <summary>
/// One overlay on one host, routed like flannel's VXLAN backend: a VXLAN device (no learning) holding the first
/// address of the host's slice, and for each peer a route to its slice through the peer's device address, a permanent
/// neighbour entry for that address with the peer's device MAC, and a forwarding entry sending that MAC to the peer's
/// underlay address. MACs are derived from the slice, so a peer needs nothing but (slice, address). The host's tasks are
/// routed on their own veths, each holding the slice's gateway (<see cref="RoutedNetwork"/>); MTUs leave room for the
/// 50-byte encapsulation.
/// </summary>
public sealed class VxlanOverlay(HostNamespace host, string device, Ipv4Cidr subnet, int vni, int port = VxlanOverlay.DefaultPort)
{
    /// <summary>DC/OS's overlay port.</summary>
    public const int DefaultPort = 64000;

    public const int Encapsulation = 50;

    private readonly Dictionary<string, VxlanPeer> _peers = new(StringComparer.Ordinal);

    public HostNamespace Host { get; } = host;

    public string Device { get; } = device;

    public Ipv4Cidr Subnet { get; } = subnet;

    /// <summary>The MTU inside the overlay (set by <see cref="EnsureAsync"/> from the underlay's).</summary>
    public int Mtu { get; private set; } = 1500 - Encapsulation;

    /// <summary>Creates (or adopts) the VXLAN device; its MTU leaves room for the encapsulation on the underlay that
    /// leads to <paramref name="peerAddress"/> (1500 without peers: a single host).</summary>
    public async Task EnsureAsync(string? peerAddress, CancellationToken cancellationToken)
    {
        var underlayMtu = peerAddress is null ? 1500 : await UnderlayMtuAsync(peerAddress);
        Mtu = underlayMtu - Encapsulation;
        if (!await Host.LinkExistsAsync(Device))
        {
            // The MAC is set once, here: changing a device's address flushes its neighbour table, permanent entries too.
            await Host.IpAsync(["link", "add", Device, "address", MacOf(Subnet), "type", "vxlan", "id", vni.ToString(CultureInfo.InvariantCulture),
                "dstport", port.ToString(CultureInfo.InvariantCulture), "nolearning"], cancellationToken: cancellationToken);
        }
        await Host.IpAsync(["-batch", "-"],
            $"link set {Device} mtu {Mtu.ToString(CultureInfo.InvariantCulture)} up\n" +
            $"addr replace {Ipv4Cidr.ToAddress(Subnet.Network)}/32 dev {Device}\n",
            cancellationToken);
        await Host.SysctlAsync("net.ipv4.ip_forward", "1");
    }

    /// <summary>Makes the routes match <paramref name="peers"/> exactly: gone ones are removed, and every wanted one is
    /// (re)asserted, so an entry lost meanwhile (a device recreated) comes back with the next configuration.</summary>
    public async Task SetPeersAsync(IReadOnlyCollection<VxlanPeer> peers, CancellationToken cancellationToken)
    {
        var wanted = peers.Where(p => p.Subnet != Subnet).GroupBy(p => p.Subnet.ToString()).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var removal = new StringBuilder();
        foreach (var (key, old) in _peers.ToList())
        {
            if (!wanted.TryGetValue(key, out var now) || now != old)
            {
                var gateway = Ipv4Cidr.ToAddress(old.Subnet.Network);
                removal.Append("route del ").Append(old.Subnet).Append(" dev ").Append(Device).Append('\n');
                removal.Append("neigh del ").Append(gateway).Append(" dev ").Append(Device).Append('\n');
                await Host.TryExecAsync("bridge", ["fdb", "del", MacOf(old.Subnet), "dev", Device, "self"], cancellationToken: cancellationToken);
                _peers.Remove(key);
            }
        }
        if (removal.Length > 0)
        {
            // -force: a route or entry already gone (the device was recreated) is no reason to stop.
            await Host.TryExecAsync("ip", ["-force", "-batch", "-"], removal.ToString(), cancellationToken: cancellationToken);
        }
        var script = new StringBuilder();
        var fdb = new List<VxlanPeer>();
        foreach (var (key, peer) in wanted)
        {
            var gateway = Ipv4Cidr.ToAddress(peer.Subnet.Network);
            script.Append("neigh replace ").Append(gateway).Append(" lladdr ").Append(MacOf(peer.Subnet)).Append(" dev ").Append(Device).Append(" nud permanent\n");
            script.Append("route replace ").Append(peer.Subnet).Append(" via ").Append(gateway).Append(" dev ").Append(Device).Append(" onlink\n");
            fdb.Add(peer);
            _peers[key] = peer;
        }
        if (script.Length > 0)
        {
            await Host.IpAsync(["-batch", "-"], script.ToString(), cancellationToken);
        }
        foreach (var peer in fdb)
        {
            await Host.ExecAsync("bridge", ["fdb", "replace", MacOf(peer.Subnet), "dev", Device, "dst", peer.Address, "self", "permanent"],
                cancellationToken: cancellationToken);
        }
    }

    /// <summary>The peers currently programmed.</summary>
    public IReadOnlyCollection<VxlanPeer> Peers => [.. _peers.Values];

    /// <summary>Removes the device (and with it every route and entry through it). Idempotent.</summary>
    public async Task DeleteAsync()
    {
        if (await Host.LinkExistsAsync(Device))
        {
            await Host.TryIpAsync(["link", "del", Device]);
        }
        _peers.Clear();
    }

    /// <summary>A locally administered unicast MAC from the slice's network address: 0e:XX:XX:XX:XX:00.</summary>
    public static string MacOf(Ipv4Cidr subnet)
    {
        var n = subnet.Network;
        return string.Create(CultureInfo.InvariantCulture, $"0e:{n >> 24:x2}:{(n >> 16) & 0xff:x2}:{(n >> 8) & 0xff:x2}:{n & 0xff:x2}:{subnet.Prefix:x2}");
    }

    /// <summary>The MTU of the device the route to <paramref name="address"/> leaves through (1500 when unknown).</summary>
    private async Task<int> UnderlayMtuAsync(string address)
    {
        var (code, stdout, _) = await Host.TryIpAsync(["-o", "route", "get", address]);
        var words = stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, "dev");
        var dev = code == 0 && at >= 0 && at + 1 < words.Length ? words[at + 1] : null;
        if (dev is null)
        {
            return 1500;
        }
        var (linkCode, link, _) = await Host.TryIpAsync(["-o", "link", "show", "dev", dev.Split('@')[0]]);
        var parts = link.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var i = Array.IndexOf(parts, "mtu");
        return linkCode == 0 && i >= 0 && i + 1 < parts.Length && int.TryParse(parts[i + 1], CultureInfo.InvariantCulture, out var mtu) ? mtu : 1500;
    }
}
