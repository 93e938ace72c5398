using System.Net;
using Harrier.Networking;
using Xunit;

namespace Harrier.Networking.Tests;

public sealed class NatTableTests
{
    [Fact]
    public void Parse_NftJson_ReadsBothMapsAndIgnoresTheRest()
    {
        const string json = """
            {"nftables": [{"metainfo": {"version": "1.0.6"}}, {"table": {"family": "ip", "name": "harrier"}},
             {"set": {"family": "ip", "name": "task_subnets", "table": "harrier", "elem": [{"prefix": {"addr": "172.31.254.0", "len": 24}}]}},
             {"map": {"family": "ip", "name": "tcp_ports", "table": "harrier", "type": "inet_service", "map": "ipv4_addr . inet_service",
                      "elem": [[31000, {"concat": ["172.31.254.2", 31000]}], [31001, {"concat": ["172.31.254.3", 80]}]]}},
             {"map": {"family": "ip", "name": "udp_ports", "table": "harrier", "elem": [[31002, {"concat": ["172.31.254.3", 53]}]]}}]}
            """;
        var entries = NatTable.Parse(json);
        Assert.Equal(
        [
            new PortMapEntry("tcp", 31000, IPAddress.Parse("172.31.254.2"), 31000),
            new PortMapEntry("tcp", 31001, IPAddress.Parse("172.31.254.3"), 80),
            new PortMapEntry("udp", 31002, IPAddress.Parse("172.31.254.3"), 53),
        ], entries);
    }
}
