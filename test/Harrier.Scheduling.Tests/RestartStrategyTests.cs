using Harrier.Core.Apps;
using Xunit;

namespace Harrier.Scheduling.Tests;

public sealed class RestartStrategyTests
{
    [Theory]
    // N, minHC, maxOC, H, current, resident → minHealthy, maxCapacity, killNow
    [InlineData(4, 1.0, 1.0, 4, 4, false, 4, 8, 0)]
    [InlineData(4, 0.5, 0.0, 4, 4, false, 2, 4, 2)]
    [InlineData(3, 1.0, 0.0, 3, 3, false, 3, 4, 0)]
    [InlineData(1, 0.0, 0.0, 1, 1, false, 0, 1, 1)]
    [InlineData(5, 0.5, 0.2, 5, 5, false, 3, 6, 2)]
    [InlineData(3, 0.5, 0.2, 3, 3, false, 2, 3, 1)]
    [InlineData(3, 1.0, 0.0, 3, 3, true, 3, 3, 1)]
    [InlineData(2, 1.0, 1.0, 2, 5, false, 2, 4, 3)]
    public void Compute_WorkedExamples(int n, double minHc, double maxOc, int healthy, int current, bool resident,
        int minHealthy, int maxCapacity, int killNow)
    {
        var plan = RestartStrategy.Compute(n, new UpgradeStrategy(minHc, maxOc), healthy, current, resident);

        Assert.Equal(new RestartPlan(minHealthy, maxCapacity, killNow), plan);
    }

    [Fact]
    public void Compute_UsesDoubleArithmeticLikeTheJvm()
    {
        // 25 * 0.28 is 7.000000000000001 in IEEE doubles, so Marathon's ceil gives 8 (exact arithmetic would give 7).
        Assert.Equal(8, RestartStrategy.Compute(25, new UpgradeStrategy(0.28, 0), 25, 25, false).MinHealthy);
    }

    [Theory]
    [InlineData(4, 8, 4, 0, 4)] // N=4 (1,1): start 4 at once
    [InlineData(4, 4, 2, 0, 2)] // N=4 (0.5,0): after killing 2, start 2
    [InlineData(3, 4, 3, 0, 1)] // N=3 (1,0): start 1
    [InlineData(1, 1, 1, 0, 0)] // N=1 (0,0): old still active, start nothing
    [InlineData(1, 1, 0, 0, 1)] // … then start the new one
    [InlineData(4, 8, 0, 4, 0)] // all started
    public void LaunchCount_WorkedExamples(int n, int maxCapacity, int oldActive, int started, int expected) =>
        Assert.Equal(expected, RestartStrategy.LaunchCount(n, maxCapacity, oldActive, started));

    [Fact]
    public void KillOrder_NotHealthyFirst_ThenGivenOrder()
    {
        Harrier.Core.Instances.Instance Make(int n, bool? healthy) =>
            TestData.Instance("/app", n, Harrier.Core.Instances.Condition.Running) with { Healthy = healthy };
        var healthy1 = Make(1, true);
        var unknown = Make(2, null);
        var healthy2 = Make(3, true);
        var unhealthy = Make(4, false);

        var order = RestartStrategy.KillOrder([healthy1, unknown, healthy2, unhealthy], appHasChecks: true);

        Assert.Equal([unknown.Id, unhealthy.Id, healthy1.Id, healthy2.Id], order.Select(i => i.Id));
        Assert.Equal([healthy1.Id, unknown.Id], RestartStrategy.KillOrder([healthy1, unknown], appHasChecks: false).Select(i => i.Id));
    }
}
