using System.Net;
using Harrier.Networking.Vips;
using Xunit;

namespace Harrier.Networking.Tests.Vips;

public sealed class VipScriptTests
{
    private static readonly VipKey A = new(IPAddress.Parse("10.99.0.1"), 80, VipProtocol.Tcp);
    private static readonly VipKey B = new(IPAddress.Parse("10.99.0.1"), 53, VipProtocol.Udp);

    private static VipBackend Backend(string address, int port, int weight = 1) => new(IPAddress.Parse(address), port, weight);

    private static Dictionary<VipKey, IReadOnlyList<VipBackend>> Vips(params (VipKey Key, VipBackend[] Backends)[] vips) =>
        vips.ToDictionary(v => v.Key, v => VipScript.Effective(v.Backends));

    [Fact]
    public void Rule_Weights_EachBackendOwnsItsShareOfTheRandomRange()
    {
        var rule = VipScript.Rule(A, VipScript.Effective([Backend("10.0.0.9", 8080, 3), Backend("10.0.0.10", 80, 1), Backend("10.0.0.2", 80, 0)]));

        Assert.Equal("meta l4proto tcp dnat ip to numgen random mod 4 map { 0-2 : 10.0.0.9 . 8080, 3 : 10.0.0.10 . 80 }", rule);
    }

    [Fact]
    public void Rule_OnlyWeightZeroBackends_NoRule()
    {
        Assert.Null(VipScript.Rule(A, VipScript.Effective([Backend("10.0.0.2", 80, 0)])));
    }

    [Fact]
    public void Effective_DuplicateBackend_KeptOnceWithItsHighestWeight()
    {
        Assert.Equal([Backend("10.0.0.2", 80, 2)], VipScript.Effective([Backend("10.0.0.2", 80, 1), Backend("10.0.0.2", 80, 2)]));
    }

    [Fact]
    public void Change_OneVipsBackendsChange_OnlyItsChainIsRewritten()
    {
        var current = new VipTableState(true, Vips((A, [Backend("10.0.0.2", 80)]), (B, [Backend("10.0.0.3", 53)])), new HashSet<IPAddress> { A.Address }, []);

        var change = VipScript.Change("t", current, Vips((A, [Backend("10.0.0.2", 80)]), (B, [Backend("10.0.0.4", 53)])), repairSkeleton: false);

        Assert.Equal(
            "flush chain ip t svc_udp_10_99_0_1_53\n"
            + "add rule ip t svc_udp_10_99_0_1_53 meta l4proto udp dnat ip to numgen random mod 1 map { 0 : 10.0.0.4 . 53 }\n",
            change.Script);
        Assert.Equal((0, 1, 0), (change.Added, change.Changed, change.Removed));
    }

    [Fact]
    public void Change_NothingDiffers_EmptyScript()
    {
        var vips = Vips((A, [Backend("10.0.0.2", 80)]));
        var current = new VipTableState(true, vips, new HashSet<IPAddress> { A.Address }, []);

        Assert.Equal("", VipScript.Change("t", current, vips, repairSkeleton: false).Script);
    }

    [Fact]
    public void Change_NewVipThenLastVipOnItsAddressGone_ElementChainAndAddressAddedThenRemoved()
    {
        var added = VipScript.Change("t", VipTableState.Missing, Vips((A, [Backend("10.0.0.2", 80)])), repairSkeleton: false);
        Assert.Contains("table ip t {", added.Script, StringComparison.Ordinal); // the table did not exist
        Assert.Contains("add chain ip t svc_tcp_10_99_0_1_80\n", added.Script, StringComparison.Ordinal);
        Assert.Contains("add element ip t services { 10.99.0.1 . tcp . 80 : jump svc_tcp_10_99_0_1_80 }\n", added.Script, StringComparison.Ordinal);
        Assert.Contains("add element ip t addresses { 10.99.0.1 }\n", added.Script, StringComparison.Ordinal);

        var removed = VipScript.Change("t", added.Next, Vips(), repairSkeleton: false);
        Assert.Equal(
            "delete element ip t services { 10.99.0.1 . tcp . 80 }\n"
            + "delete chain ip t svc_tcp_10_99_0_1_80\n"
            + "delete element ip t addresses { 10.99.0.1 }\n",
            removed.Script);
        Assert.DoesNotContain("flush table", removed.Script + added.Script, StringComparison.Ordinal);
        Assert.DoesNotContain("delete table", removed.Script + added.Script, StringComparison.Ordinal);
    }

    [Fact]
    public void Change_OrphanChain_Deleted()
    {
        var current = new VipTableState(true, Vips(), new HashSet<IPAddress>(), ["svc_tcp_10_99_0_7_80"]);

        Assert.Equal("delete chain ip t svc_tcp_10_99_0_7_80\n", VipScript.Change("t", current, Vips(), repairSkeleton: false).Script);
    }
}
