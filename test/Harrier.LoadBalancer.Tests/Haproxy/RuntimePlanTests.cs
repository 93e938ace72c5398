using Harrier.LoadBalancer.Haproxy;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Haproxy;

public sealed class RuntimePlanTests
{
    private static HaproxyConfigModel Backend(params string[] servers) =>
        HaproxyConfigModel.Parse("backend app_10000\n  balance roundrobin\n" + string.Concat(servers.Select(s => "  server " + s + "\n")));

    [Fact]
    public void Diff_AddedRemovedToggled_Listed()
    {
        var current = Backend("a 10.0.0.1:1 id 1", "b 10.0.0.2:2 id 2", "c 10.0.0.3:3 id 3");
        var next = Backend("a 10.0.0.1:1 id 1", "c 10.0.0.3:3 id 3 disabled", "d 10.0.0.4:4 id 4 check inter 3s fall 4");

        var plan = RuntimePlan.Diff(current, next);

        plan.ReloadReason.ShouldBeNull();
        plan.Add.Select(s => s.Name).ShouldBe(["d"]);
        plan.Add[0].AddCommand().ShouldBe("add server app_10000/d 10.0.0.4:4 id 4 check inter 3s fall 4");
        plan.Remove.Select(s => s.Name).ShouldBe(["b"]);
        plan.Toggle.Select(s => (s.Name, s.Disabled)).ShouldBe([("c", true)]);
    }

    [Fact]
    public void Diff_SameNameOtherOptions_Reload()
    {
        RuntimePlan.Diff(Backend("a 10.0.0.1:1 id 1"), Backend("a 10.0.0.1:1 id 1 check inter 3s fall 4")).ReloadReason!.ShouldContain("a");
    }

    [Fact]
    public void Diff_AddedServerWithCookie_ReloadBecauseDynamicServersRefuseIt()
    {
        RuntimePlan.Diff(Backend(), Backend("a 10.0.0.1:1 id 1 check cookie 0123456789")).ReloadReason!.ShouldContain("'cookie'");
    }

    [Theory]
    [InlineData("a 10.0.0.1:1 id 1;shutdown")]
    [InlineData("a 10.0.0.1:1 id \"1\"")]
    [InlineData("a 10.0.0.1:1 id 1\u0007")]
    public void Diff_UnsafeToken_ReloadNeverReachesTheSocket(string server)
    {
        RuntimePlan.Diff(Backend(), Backend(server)).ReloadReason!.ShouldContain("runtime API cannot carry");
    }
}
