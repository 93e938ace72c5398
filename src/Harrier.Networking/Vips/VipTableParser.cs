using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Harrier.Networking.Vips;

/// <summary>
/// Reads the VIP table back from <c>nft -j list table</c>: the <c>services</c> map's elements (VIP → chain), each
/// chain's <c>numgen … map</c> (a value range of width w is a backend of weight w), the <c>addresses</c> set, and chains
/// named <c>svc_*</c> that no element points at. What it does not recognise it leaves out, so the next apply rewrites
/// it.
/// </summary>
internal static class VipTableParser
{
    public static VipTableState Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var targets = new Dictionary<VipKey, string>();
        var chains = new HashSet<string>(StringComparer.Ordinal);
        var rules = new Dictionary<string, IReadOnlyList<VipBackend>>(StringComparer.Ordinal);
        var addresses = new HashSet<IPAddress>();
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("map", out var map) && Name(map) == VipScript.ServicesMap && map.TryGetProperty("elem", out var elements))
            {
                foreach (var element in elements.EnumerateArray())
                {
                    if (ServiceElement(element) is { } parsed)
                    {
                        targets[parsed.Key] = parsed.Chain;
                    }
                }
            }
            else if (item.TryGetProperty("set", out var set) && Name(set) == VipScript.AddressesSet && set.TryGetProperty("elem", out var members))
            {
                foreach (var member in members.EnumerateArray())
                {
                    if (member.ValueKind == JsonValueKind.String && Ipv4(member.GetString()) is { } address)
                    {
                        addresses.Add(address);
                    }
                }
            }
            else if (item.TryGetProperty("chain", out var chain) && Name(chain) is { } chainName && chainName.StartsWith("svc_", StringComparison.Ordinal))
            {
                chains.Add(chainName);
            }
            else if (item.TryGetProperty("rule", out var rule) && rule.TryGetProperty("chain", out var ruleChain)
                && ruleChain.GetString() is { } owner && owner.StartsWith("svc_", StringComparison.Ordinal) && Backends(rule) is { } backends)
            {
                rules[owner] = backends;
            }
        }
        var vips = new Dictionary<VipKey, IReadOnlyList<VipBackend>>();
        foreach (var (key, chain) in targets)
        {
            if (chains.Contains(chain))
            {
                vips[key] = VipScript.Effective(rules.TryGetValue(chain, out var backends) ? backends : []);
            }
        }
        var referenced = targets.Values.ToHashSet(StringComparer.Ordinal);
        return new VipTableState(true, vips, addresses, [.. chains.Where(c => !referenced.Contains(c)).Order(StringComparer.Ordinal)]);
    }

    // [{"concat": ["10.1.1.1", "tcp", 5000]}, {"jump": {"target": "svc_tcp_10_1_1_1_5000"}}]
    private static (VipKey Key, string Chain)? ServiceElement(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 2
            || !element[0].TryGetProperty("concat", out var concat) || concat.GetArrayLength() != 3
            || Ipv4(concat[0].GetString()) is not { } address
            || concat[2].ValueKind != JsonValueKind.Number
            || element[1].ValueKind != JsonValueKind.Object || !element[1].TryGetProperty("jump", out var jump)
            || !jump.TryGetProperty("target", out var target) || target.GetString() is not { } chain)
        {
            return null;
        }
        VipProtocol? protocol = concat[1].ValueKind == JsonValueKind.String ? concat[1].GetString() switch
        {
            "tcp" => VipProtocol.Tcp,
            "udp" => VipProtocol.Udp,
            _ => null,
        } : null;
        return protocol is { } p ? (new VipKey(address, concat[2].GetInt32(), p), chain) : null;
    }

    // {"dnat": {"addr": {"map": {"key": {"numgen": …}, "data": {"set": [[0, {"concat": ["10.0.0.2", 80]}], [{"range": [1, 2]}, …]]}}}}}
    private static IReadOnlyList<VipBackend>? Backends(JsonElement rule)
    {
        if (!rule.TryGetProperty("expr", out var expressions))
        {
            return null;
        }
        foreach (var expression in expressions.EnumerateArray())
        {
            if (!expression.TryGetProperty("dnat", out var dnat) || !dnat.TryGetProperty("addr", out var addr)
                || !addr.TryGetProperty("map", out var map) || !map.TryGetProperty("data", out var data) || !data.TryGetProperty("set", out var set))
            {
                continue;
            }
            var backends = new List<VipBackend>();
            foreach (var element in set.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 2
                    || !element[1].TryGetProperty("concat", out var target) || target.GetArrayLength() != 2
                    || Ipv4(target[0].GetString()) is not { } address || target[1].ValueKind != JsonValueKind.Number)
                {
                    continue;
                }
                var weight = element[0].ValueKind == JsonValueKind.Number ? 1
                    : element[0].TryGetProperty("range", out var range) ? range[1].GetInt32() - range[0].GetInt32() + 1
                    : 0;
                backends.Add(new VipBackend(address, target[1].GetInt32(), weight));
            }
            return backends;
        }
        return null;
    }

    private static string? Name(JsonElement item) => item.TryGetProperty("name", out var name) ? name.GetString() : null;

    private static IPAddress? Ipv4(string? text) =>
        IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork ? address : null;
}
