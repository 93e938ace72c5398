using System.Globalization;
using System.Net;
using System.Text;

namespace Harrier.Networking.Vips;

/// <summary>
/// The pure side of the VIP table: from the current state and the desired VIPs, the one <c>nft -f</c> transaction that
/// gets there touching only what differs (a VIP's element in the <c>services</c> verdict map, its own chain, the
/// <c>addresses</c> set), plus the address changes. Layout of <c>ip harrier_vip</c>:
/// <code>
/// map services  { ipv4_addr . inet_proto . inet_service : verdict }   VIP → jump svc_&lt;proto&gt;_&lt;a_b_c_d&gt;_&lt;port&gt;
/// set addresses { ipv4_addr }                                          VIP addresses (masqueraded)
/// chain prerouting (nat, dstnat - 10) / output (nat, -110): ip daddr . meta l4proto . th dport vmap @services
/// chain postrouting (nat, srcnat): oifname != "lo" ct status dnat ct original ip daddr @addresses masquerade
/// (a connection that stays on this host, to a backend on loopback, needs none: masquerading it there breaks it)
/// chain svc_…: meta l4proto tcp dnat ip to numgen random mod W map { 0-2 : a . p, 3 : b . q }
/// </code>
/// A backend of weight w owns w consecutive values of <c>numgen random mod W</c> (W = the sum of weights), so it gets
/// w/W of new connections; weight-0 backends are not in the map. NAT runs on a connection's first packet only, so
/// rewriting a VIP's chain never moves an established connection. The hooks run before <see cref="NatTable"/>'s
/// (priority -100), so a VIP wins over a host-port mapping on the same port.
/// </summary>
internal static class VipScript
{
    public const string ServicesMap = "services";

    public const string AddressesSet = "addresses";

    /// <summary>The backends that take new connections: weight &gt; 0, one per address and port (the highest weight
    /// given), in address then port order so the same set always renders the same rule.</summary>
    public static IReadOnlyList<VipBackend> Effective(IEnumerable<VipBackend> backends) =>
        [.. backends.Where(b => b.Weight > 0)
            .GroupBy(b => (b.Address, b.Port))
            .Select(g => new VipBackend(g.Key.Address, g.Key.Port, g.Max(b => b.Weight)))
            .OrderBy(b => AddressOrder(b.Address)).ThenBy(b => b.Port)];

    public static uint AddressOrder(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    /// <summary>The rule of a VIP's chain, or null when no backend takes new connections.</summary>
    public static string? Rule(VipKey key, IReadOnlyList<VipBackend> effective)
    {
        if (effective.Count == 0)
        {
            return null;
        }
        var total = 0;
        var elements = new List<string>(effective.Count);
        foreach (var backend in effective)
        {
            var first = total;
            total += backend.Weight;
            var range = backend.Weight == 1 ? Num(first) : Num(first) + "-" + Num(total - 1);
            elements.Add(range + " : " + backend.Address + " . " + Num(backend.Port));
        }
        return $"meta l4proto {key.ProtocolName} dnat ip to numgen random mod {Num(total)} map {{ {string.Join(", ", elements)} }}";
    }

    /// <summary>The table with its sets and hook chains, their rules replaced (so a restart repairs them), in one go.</summary>
    public static void Skeleton(StringBuilder script, string table)
    {
        script.Append("table ip ").Append(table).Append(" {\n")
            .Append("  map ").Append(ServicesMap).Append(" { type ipv4_addr . inet_proto . inet_service : verdict; }\n")
            .Append("  set ").Append(AddressesSet).Append(" { type ipv4_addr; }\n")
            .Append("  chain prerouting { type nat hook prerouting priority dstnat - 10; policy accept; }\n")
            .Append("  chain output { type nat hook output priority -110; policy accept; }\n")
            .Append("  chain postrouting { type nat hook postrouting priority srcnat; policy accept; }\n")
            .Append("}\n");
        foreach (var chain in (string[])["prerouting", "output"])
        {
            script.Append("flush chain ip ").Append(table).Append(' ').Append(chain).Append('\n')
                .Append("add rule ip ").Append(table).Append(' ').Append(chain)
                .Append(" ip daddr . meta l4proto . th dport vmap @").Append(ServicesMap).Append('\n');
        }
        script.Append("flush chain ip ").Append(table).Append(" postrouting\n")
            .Append("add rule ip ").Append(table).Append(" postrouting oifname != \"lo\" ct status dnat ct original ip daddr @").Append(AddressesSet).Append(" masquerade\n");
    }

    /// <summary>The transaction from <paramref name="current"/> to <paramref name="desired"/> (VIPs with their
    /// effective backends).</summary>
    public static VipChange Change(string table, VipTableState current, IReadOnlyDictionary<VipKey, IReadOnlyList<VipBackend>> desired, bool repairSkeleton)
    {
        var script = new StringBuilder();
        if (repairSkeleton || !current.TableExists)
        {
            Skeleton(script, table);
        }
        var wantedChains = desired.Keys.Select(k => k.ChainName).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in current.OrphanChains.Where(c => !wantedChains.Contains(c)))
        {
            script.Append("delete chain ip ").Append(table).Append(' ').Append(orphan).Append('\n');
        }
        int added = 0, changed = 0, removed = 0;
        foreach (var (key, backends) in current.Vips.Where(v => !desired.ContainsKey(v.Key)).OrderBy(v => v.Key.ChainName, StringComparer.Ordinal))
        {
            script.Append("delete element ip ").Append(table).Append(' ').Append(ServicesMap).Append(" { ").Append(Element(key)).Append(" }\n")
                .Append("delete chain ip ").Append(table).Append(' ').Append(key.ChainName).Append('\n');
            removed++;
        }
        foreach (var (key, backends) in desired.OrderBy(v => v.Key.ChainName, StringComparer.Ordinal))
        {
            var exists = current.Vips.TryGetValue(key, out var before);
            if (exists && before!.SequenceEqual(backends))
            {
                continue;
            }
            if (!exists)
            {
                script.Append("add chain ip ").Append(table).Append(' ').Append(key.ChainName).Append('\n');
            }
            script.Append("flush chain ip ").Append(table).Append(' ').Append(key.ChainName).Append('\n');
            if (Rule(key, backends) is { } rule)
            {
                script.Append("add rule ip ").Append(table).Append(' ').Append(key.ChainName).Append(' ').Append(rule).Append('\n');
            }
            if (!exists)
            {
                script.Append("add element ip ").Append(table).Append(' ').Append(ServicesMap)
                    .Append(" { ").Append(Element(key)).Append(" : jump ").Append(key.ChainName).Append(" }\n");
                added++;
            }
            else
            {
                changed++;
            }
        }
        var addresses = desired.Keys.Select(k => k.Address).ToHashSet();
        var toAdd = addresses.Where(a => !current.Addresses.Contains(a)).OrderBy(AddressOrder).ToList();
        var toRemove = current.Addresses.Where(a => !addresses.Contains(a)).OrderBy(AddressOrder).ToList();
        if (toAdd.Count > 0)
        {
            script.Append("add element ip ").Append(table).Append(' ').Append(AddressesSet).Append(" { ").Append(string.Join(", ", toAdd)).Append(" }\n");
        }
        if (toRemove.Count > 0)
        {
            script.Append("delete element ip ").Append(table).Append(' ').Append(AddressesSet).Append(" { ").Append(string.Join(", ", toRemove)).Append(" }\n");
        }
        var next = new VipTableState(true, desired, addresses, []);
        return new VipChange(script.ToString(), next, added, changed, removed);
    }

    private static string Element(VipKey key) => $"{key.Address} . {key.ProtocolName} . {Num(key.Port)}";

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
