using System.Net;
using Harrier.Networking.Vips;
using Xunit;

namespace Harrier.Networking.Tests.Vips;

public sealed class VipTableParserTests
{
    // nft 1.0.6's `nft -j list table ip harrier_vip` of a table VipScript wrote (trimmed to the parts that matter).
    private const string Json = """
        {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
         {"table": {"family": "ip", "name": "harrier_vip", "handle": 1}},
         {"map": {"family": "ip", "name": "services", "table": "harrier_vip", "type": ["ipv4_addr", "inet_proto", "inet_service"], "handle": 4, "map": "verdict",
                  "elem": [[{"concat": ["127.10.0.1", "tcp", 80]}, {"jump": {"target": "svc_tcp_127_10_0_1_80"}}],
                           [{"concat": ["10.99.0.1", "udp", 53]}, {"jump": {"target": "svc_udp_10_99_0_1_53"}}]]}},
         {"set": {"family": "ip", "name": "addresses", "table": "harrier_vip", "type": "ipv4_addr", "handle": 5, "elem": ["10.99.0.1", "127.10.0.1"]}},
         {"chain": {"family": "ip", "table": "harrier_vip", "name": "prerouting", "handle": 1, "type": "nat", "hook": "prerouting", "prio": -110, "policy": "accept"}},
         {"chain": {"family": "ip", "table": "harrier_vip", "name": "svc_tcp_127_10_0_1_80", "handle": 9}},
         {"chain": {"family": "ip", "table": "harrier_vip", "name": "svc_udp_10_99_0_1_53", "handle": 12}},
         {"chain": {"family": "ip", "table": "harrier_vip", "name": "svc_tcp_10_99_0_7_80", "handle": 15}},
         {"rule": {"family": "ip", "table": "harrier_vip", "chain": "svc_tcp_127_10_0_1_80", "handle": 11, "expr": [
            {"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "tcp"}},
            {"dnat": {"family": "ip", "addr": {"map": {"key": {"numgen": {"mode": "random", "mod": 3, "offset": 0}},
              "data": {"set": [[0, {"concat": ["10.251.0.2", 8080]}], [{"range": [1, 2]}, {"concat": ["10.251.0.3", 8080]}]]}}}}}]}}]}
        """;

    [Fact]
    public void Parse_NftJson_VipsWithWeightsAddressesAndOrphans()
    {
        var state = VipTableParser.Parse(Json);

        var tcp = new VipKey(IPAddress.Parse("127.10.0.1"), 80, VipProtocol.Tcp);
        var udp = new VipKey(IPAddress.Parse("10.99.0.1"), 53, VipProtocol.Udp);
        Assert.Equal([new VipBackend(IPAddress.Parse("10.251.0.2"), 8080, 1), new VipBackend(IPAddress.Parse("10.251.0.3"), 8080, 2)], state.Vips[tcp]);
        Assert.Empty(state.Vips[udp]); // a chain without a rule: no backend takes new connections
        Assert.Equal(2, state.Vips.Count);
        Assert.Equal(["10.99.0.1", "127.10.0.1"], state.Addresses.Select(a => a.ToString()).Order());
        Assert.Equal(["svc_tcp_10_99_0_7_80"], state.OrphanChains);
    }

    [Fact]
    public void Parse_ThenChangeToTheSameVips_NothingToDo()
    {
        var state = VipTableParser.Parse(Json);
        var same = state.Vips.Where(v => v.Key.Protocol == VipProtocol.Tcp || v.Value.Count == 0).ToDictionary(v => v.Key, v => v.Value);

        var change = VipScript.Change("harrier_vip", state with { OrphanChains = [] }, same, repairSkeleton: false);

        Assert.Equal("", change.Script);
    }
}
