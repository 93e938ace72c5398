using Harrier.Networking.Isolation;
using Shouldly;
using Xunit;

namespace Harrier.Networking.Tests.Isolation;

public sealed class NamespaceStatisticsTests
{
    [Fact]
    public void ParseLink_IpStatsJson_GivesTheCounters()
    {
        var s = NamespaceStatistics.ParseLink("""
            [{"ifindex":2,"ifname":"eth0","stats64":{"rx":{"bytes":100,"packets":2,"errors":1,"dropped":3,"over_errors":0,"multicast":0},
              "tx":{"bytes":2000,"packets":20,"errors":0,"dropped":4,"carrier_errors":0,"collisions":0}}}]
            """)!;

        (s.RxBytes, s.RxPackets, s.RxErrors, s.RxDropped, s.TxBytes, s.TxPackets, s.TxErrors, s.TxDropped).ShouldBe((100, 2, 1, 3, 2000, 20, 0, 4));
    }

    [Fact]
    public void ParseQdiscs_RootHtb_IsTheBandwidthLimitEntry()
    {
        var tc = NamespaceStatistics.ParseQdiscs("""
            [{"kind":"htb","handle":"1:","root":true,"bytes":42092459,"packets":27820,"drops":0,"overlimits":1039,"requeues":0,"backlog":0,"qlen":0},
             {"kind":"ingress","handle":"ffff:","parent":"ffff:fff1","bytes":7,"packets":1}]
            """);

        tc.Single().ShouldBe(new Harrier.Linux.TrafficControlStatistics("bw_limit", 0, 42092459, 0, 1039, 27820, 0, null, null, 0));
        NamespaceStatistics.ParseQdiscs("""[{"kind":"noqueue","root":true}]""").ShouldBeEmpty();
    }

    [Fact]
    public void Sockets_SockstatAndRtts_GiveMesosNetTcpFigures()
    {
        var s = NamespaceStatistics.ParseSockstat("sockets: used 9\nTCP: inuse 3 orphan 0 tw 2 alloc 4 mem 1\nUDP: inuse 1 mem 0\n");
        (s.ActiveConnections, s.TimeWaitConnections).ShouldBe((3L, 2L));

        var rtts = NamespaceStatistics.ParseRtts("ESTAB 0 0 10.0.0.1:20480 10.0.0.2:7000\n\t cubic rto:204 rtt:0.05/0.025 mss:1448\nESTAB 0 0 x y\n\t rtt:2.5/1 \n");
        rtts.ShouldBe([50d, 2500d]);
        var withRtts = NamespaceStatistics.WithRtts(s, rtts);
        (withRtts.RttMicrosecsP50, withRtts.RttMicrosecsP99).ShouldBe((2500d, 2500d));
    }
}
