using Harrier.Core.Networks;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Harrier.Networking;

/// <summary>
/// The one nftables table Harrier owns for its networks (<c>ip harrier</c>): port mappings as two maps (tcp, udp) from
/// host port to task address and port, applied to traffic arriving for any of the host's addresses and to the host's
/// own connections (127.0.0.1:hostPort works too); masquerading for tasks leaving their networks, for hairpin
/// connections (a task reaching a sibling through a host port) and for loopback. A mapping is one map element, added
/// and deleted on its own: nothing else is ever flushed, and nothing outside this table is touched.
/// <see cref="ReplaceAsync"/> (at agent start) rebuilds the table atomically with the mappings that are still wanted, so
/// a restart keeps live tasks' mappings and drops those of tasks that died meanwhile.
/// </summary>
public sealed class NatTable(HostNamespace host, string name = NatTable.DefaultName)
{
    public HostNamespace Host { get; } = host;

    public const string DefaultName = "harrier";

    public string Name { get; } = name;

    /// <summary>Where tasks' DNS queries to their gateway (a local address, port 53) are sent; null: nowhere.</summary>
    public System.Net.IPEndPoint? TaskDns { get; set; }

    /// <summary>(Re)creates the table in one transaction with its subnets and the given mappings.</summary>
    /// <param name="taskSubnets">Where tasks live on this host (the bridge, this agent's overlay slices): their traffic to
    /// anywhere outside <paramref name="internalNetworks"/> is masqueraded.</param>
    /// <param name="internalNetworks">Destinations reached without masquerading (task subnets, whole overlays).</param>
    public Task ReplaceAsync(IReadOnlyCollection<Ipv4Cidr> taskSubnets, IReadOnlyCollection<Ipv4Cidr> internalNetworks, IEnumerable<PortMapEntry> mappings)
    {
        var script = new StringBuilder();
        script.Append("table ip ").Append(Name).Append(" {}\ndelete table ip ").Append(Name).Append('\n');
        script.Append("table ip ").Append(Name).Append(" {\n");
        Set(script, "task_subnets", taskSubnets);
        Set(script, "internal", internalNetworks.Concat(taskSubnets).Distinct());
        var list = mappings.ToList();
        foreach (var protocol in new[] { "tcp", "udp" })
        {
            script.Append("  map ").Append(protocol).Append("_ports { type inet_service : ipv4_addr . inet_service;");
            var elements = list.Where(e => e.Protocol == protocol).GroupBy(e => e.HostPort).Select(g => g.Last().Element).ToList();
            if (elements.Count > 0)
            {
                script.Append(" elements = { ").Append(string.Join(", ", elements)).Append(" };");
            }
            script.Append(" }\n");
        }
        var dns = TaskDns is { } to
            ? $"    ip saddr @task_subnets fib daddr type local udp dport 53 dnat ip to {to.Address}:{to.Port}\n    ip saddr @task_subnets fib daddr type local tcp dport 53 dnat ip to {to.Address}:{to.Port}\n"
            : "";
        script.Append("  chain prerouting { type nat hook prerouting priority dstnat; policy accept;\n").Append(dns);
        script.Append("""
                fib daddr type local dnat ip to tcp dport map @tcp_ports
                fib daddr type local dnat ip to udp dport map @udp_ports
              }
              chain output { type nat hook output priority -100; policy accept;
                fib daddr type local dnat ip to tcp dport map @tcp_ports
                fib daddr type local dnat ip to udp dport map @udp_ports
              }
              chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                ct status dnat ip saddr 127.0.0.0/8 masquerade
                ct status dnat ip saddr @task_subnets ip daddr @task_subnets masquerade
                ip saddr @task_subnets ip daddr != @internal masquerade
              }
            }

            """);
        return NftAsync(script.ToString());
    }

    public Task AddAsync(IReadOnlyCollection<PortMapEntry> entries) => ElementsAsync("add", entries, e => e.Element);

    /// <summary>Deletes the mappings of these host ports when they still point at the entry's address (a host port
    /// handed to another task meanwhile keeps its new mapping). Missing elements are not an error.</summary>
    public async Task RemoveAsync(IReadOnlyCollection<PortMapEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        var current = await ListAsync();
        var present = entries.Where(e => current.Any(c => c.Protocol == e.Protocol && c.HostPort == e.HostPort && c.Address.Equals(e.Address))).ToList();
        await ElementsAsync("delete", present, e => e.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every mapping in the table (none when the table does not exist).</summary>
    public async Task<IReadOnlyList<PortMapEntry>> ListAsync()
    {
        var (code, stdout, _) = await Host.TryExecAsync("nft", ["-j", "list", "table", "ip", Name]);
        if (code != 0)
        {
            return [];
        }
        return Parse(stdout);
    }

    internal static IReadOnlyList<PortMapEntry> Parse(string json)
    {
        var result = new List<PortMapEntry>();
        using var doc = JsonDocument.Parse(json);
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("map", out var map) || !map.TryGetProperty("elem", out var elements))
            {
                continue;
            }
            var protocol = (map.GetProperty("name").GetString() ?? "").Replace("_ports", "", StringComparison.Ordinal);
            foreach (var element in elements.EnumerateArray())
            {
                // [hostPort, {"concat": ["10.0.0.2", 8080]}]
                if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 2
                    || element[1].ValueKind != JsonValueKind.Object || !element[1].TryGetProperty("concat", out var concat)
                    || !IPAddress.TryParse(concat[0].GetString(), out var address))
                {
                    continue;
                }
                result.Add(new PortMapEntry(protocol, element[0].GetInt32(), address, concat[1].GetInt32()));
            }
        }
        return result;
    }

    private async Task ElementsAsync(string verb, IReadOnlyCollection<PortMapEntry> entries, Func<PortMapEntry, string> element)
    {
        var script = new StringBuilder();
        foreach (var group in entries.GroupBy(e => e.Protocol))
        {
            script.Append(verb).Append(" element ip ").Append(Name).Append(' ').Append(group.Key).Append("_ports")
                .Append(" { ").Append(string.Join(", ", group.Select(element))).Append(" }\n");
        }
        if (script.Length > 0)
        {
            await NftAsync(script.ToString());
        }
    }

    /// <summary>True when the table exists.</summary>
    public async Task<bool> ExistsAsync() => (await Host.TryExecAsync("nft", ["list", "table", "ip", Name])).ExitCode == 0;

    private Task<string> NftAsync(string script) => Host.ExecAsync("nft", ["-f", "-"], script);

    private static void Set(StringBuilder script, string name, IEnumerable<Ipv4Cidr> members)
    {
        var list = members.Select(m => m.ToString()).Distinct().ToList();
        script.Append("  set ").Append(name).Append(" { type ipv4_addr; flags interval; auto-merge;");
        if (list.Count > 0)
        {
            script.Append(" elements = { ").Append(string.Join(", ", list)).Append(" };");
        }
        script.Append(" }\n");
    }
}
