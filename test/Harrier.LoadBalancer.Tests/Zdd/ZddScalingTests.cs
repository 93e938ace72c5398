using Harrier.LoadBalancer.Zdd;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Zdd;

public sealed class ZddScalingTests
{
    [Theory]
    [InlineData(1, 10, 10, 2)]
    [InlineData(2, 10, 10, 3)]
    [InlineData(5, 7, 10, 10)]
    public void NextInstances_ByHalf_JumpsToTargetOnceOldReached(int current, int old, int target, int expected)
    {
        ZddScaling.NextInstances(current, old, target, 0, hybrid: false, linearIncrease: 0).ShouldBe(expected);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(8, 10)]
    [InlineData(9, 10)]
    public void NextInstances_LinearIncrease_GrowsByStepCappedAtTarget(int current, int expected)
    {
        ZddScaling.NextInstances(current, oldInstances: 2, target: 10, 0, hybrid: false, linearIncrease: 2).ShouldBe(expected);
    }

    [Fact]
    public void ReadyToDeleteOld_Hybrid_WhenBothAtTheirShare()
    {
        ZddScaling.ReadyToDeleteOld(hybrid: true, newInstances: 2, newTarget: 5, newInstancesLabel: 2, oldInstances: 3, oldTarget: 5, drainedOldTasks: 0).ShouldBeTrue();
        ZddScaling.ReadyToDeleteOld(hybrid: true, newInstances: 2, newTarget: 5, newInstancesLabel: 2, oldInstances: 4, oldTarget: 5, drainedOldTasks: 0).ShouldBeFalse();
    }

    [Fact]
    public void ReadyToDeleteOld_Full_WhenNewAtTargetAndEveryOldTaskDrained()
    {
        ZddScaling.ReadyToDeleteOld(false, 3, 3, 0, oldInstances: 2, oldTarget: 3, drainedOldTasks: 2).ShouldBeTrue();
        ZddScaling.ReadyToDeleteOld(false, 3, 3, 0, oldInstances: 2, oldTarget: 3, drainedOldTasks: 1).ShouldBeFalse();
        ZddScaling.ReadyToDeleteOld(false, 2, 3, 0, oldInstances: 0, oldTarget: 3, drainedOldTasks: 0).ShouldBeFalse();
    }
}
