using Harrier.LoadBalancer.Zdd;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Zdd;

public sealed class ZddBackendCheckTests
{
    private static readonly System.Text.Json.Nodes.JsonObject NewApp = ZddScenario.Deployed("green", 10001, 1, "2");
    private static readonly System.Text.Json.Nodes.JsonObject OldApp = ZddScenario.Deployed("blue", 10000, 3, "1");

    [Fact]
    public void Waiting_BalancerNotYetListingTheNewTasks_WaitsForTheServerCount()
    {
        // A balancer still showing the state before the new colour: three old servers, one of them already disabled.
        var stale = new ZddBalancerStats("http://lb2", [Row("a", "MAINT"), Row("b", "UP"), Row("c", "UP"), Row("d", "UP")]);
        var behind = new ZddBalancerStats("http://lb1", [Row("a", "MAINT"), Row("b", "UP"), Row("c", "UP")]);

        ZddBackendCheck.Waiting(NewApp, OldApp, [stale, behind], "t").ShouldBe("http://lb1: backend web_10000 lists 3 servers, waiting for 4 (old + new instances)");
    }

    [Fact]
    public void Waiting_TooFewUp_WaitsForTheTarget()
    {
        var stats = new ZddBalancerStats("http://lb1", [Row("a", "MAINT"), Row("b", "UP"), Row("c", "DOWN"), Row("d", "UP")]);

        ZddBackendCheck.Waiting(NewApp, OldApp, [stats], "t").ShouldBe("http://lb1: backend web_10000 has 2 servers up, waiting for 3");
    }

    [Fact]
    public void Waiting_OtherBackendsAndSummaryLines_Ignored()
    {
        var stats = new ZddBalancerStats("http://lb1",
            [Row("a", "MAINT"), Row("b", "UP"), Row("c", "UP"), Row("d", "UP"), new("web_10000", "BACKEND", "UP", 0, 0), new("other_80", "x", "UP", 0, 0)]);

        ZddBackendCheck.Waiting(NewApp, OldApp, [stats], "t").ShouldBeNull();
    }

    private static HaproxyStatsRow Row(string server, string status) => new("web_10000", server, status, 0, 0);
}
