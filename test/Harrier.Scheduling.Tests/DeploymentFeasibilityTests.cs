using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class DeploymentFeasibilityTests
{
    private static AppSpec Web(int n, double minHc, double maxOc) =>
        App("/web", n) with { UpgradeStrategy = new UpgradeStrategy(minHc, maxOc), VersionInfo = new VersionInfo(At(100), At(100), At(100)) };

    private static Instance[] HealthyOld(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Instance("/web", i, Condition.Running, version: T0, activeSince: T0))];

    [Fact]
    public void Restart_FullHealthNoOverCapacity_NeedsOneSlotMoreThanN()
    {
        var app = Web(3, 1.0, 0.0);

        Assert.Equal(
            "the upgrade strategy (minimumHealthCapacity 1.0, maximumOverCapacity 0.0) needs room for 4 instances of /web at once, but the cluster can hold 3",
            DeploymentFeasibility.Restart(app, HealthyOld(3), resident: false, slots: 3));
        Assert.Null(DeploymentFeasibility.Restart(app, HealthyOld(3), resident: false, slots: 4));
        Assert.Equal(4, DeploymentFeasibility.RestartSlotsNeeded(app, HealthyOld(3), resident: false));
    }

    [Fact]
    public void Restart_ResidentFullHealth_GivesOneUpAndFitsInN()
    {
        Assert.Null(DeploymentFeasibility.Restart(Web(3, 1.0, 0.0), HealthyOld(3), resident: true, slots: 3));
    }

    [Fact]
    public void Restart_FullHealthWithOverCapacity_StillNeedsOneMore()
    {
        // Capacity allows 6, but the cluster's room is what keeps the restart from moving.
        Assert.NotNull(DeploymentFeasibility.Restart(Web(3, 1.0, 1.0), HealthyOld(3), resident: false, slots: 3));
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(0.75, 0.2)]
    public void Restart_PartialHealth_FitsInN(double minHc, double maxOc)
    {
        var app = Web(4, minHc, maxOc);

        Assert.Null(DeploymentFeasibility.Restart(app, HealthyOld(4), resident: false, slots: 4));
        Assert.Equal(
            "restarting /web with 4 instances needs 4 slots, the cluster can hold 3",
            DeploymentFeasibility.Restart(app, HealthyOld(2), resident: false, slots: 3));
    }

    [Fact]
    public void Restart_NoHealthyOldInstanceLeft_NeedsOnlyN()
    {
        var unhealthy = HealthyOld(3).Select(i => i with { Condition = Condition.Staging }).ToArray();

        Assert.Null(DeploymentFeasibility.Restart(Web(3, 1.0, 0.0), unhealthy, resident: false, slots: 3));
        Assert.Null(DeploymentFeasibility.Restart(Web(0, 1.0, 0.0), HealthyOld(3), resident: false, slots: 0));
    }

    [Fact]
    public void Scale_MoreThanSlots_CannotComplete()
    {
        var app = Web(5, 1, 1);

        Assert.Equal("scaling /web to 5 needs 5 slots, the cluster can hold 3", DeploymentFeasibility.Scale(app, 5, 3));
        Assert.Null(DeploymentFeasibility.Scale(app, 3, 3));
    }

    [Fact]
    public void Check_DispatchesOnTheActionKind()
    {
        var app = Web(3, 1.0, 0.0);
        var instances = HealthyOld(3);

        Assert.NotNull(DeploymentFeasibility.Check(app, new DeploymentAction(DeploymentActionKind.RestartApplication, app.Id), instances, false, 3));
        Assert.NotNull(DeploymentFeasibility.Check(app, new DeploymentAction(DeploymentActionKind.ScaleApplication, app.Id, 4), instances, false, 3));
        Assert.Null(DeploymentFeasibility.Check(app, new DeploymentAction(DeploymentActionKind.StopApplication, app.Id), instances, false, 0));
        Assert.Equal(4, DeploymentFeasibility.SlotsNeeded(app, new DeploymentAction(DeploymentActionKind.RestartApplication, app.Id), instances, false));
    }

    [Fact]
    public void RestartOnCluster_UniqueHostnameOnThreeAgents_CannotCompleteUntilAFourthAgentJoins()
    {
        // Three agents, each running one old instance of a hostname-UNIQUE app with room for only one instance.
        var app = Web(3, 1.0, 0.0).WithConstraints(new ConstraintSpec("hostname", "UNIQUE")) with { Cpus = 1, Mem = 100 };
        var agents = Enumerable.Range(0, 3).Select(i => Agent($"a{i}", cpus: 1, mem: 200)).ToArray();
        var old = agents.Select((a, i) => Instance("/web", i, Condition.Running, a, version: T0, activeSince: T0)).ToArray();
        var used = agents.Select(a => Capacity(a, new ResourceVector(1, 100, 0))).ToList();
        var restart = new DeploymentAction(DeploymentActionKind.RestartApplication, app.Id);
        var needed = DeploymentFeasibility.SlotsNeeded(app, restart, old, false);

        var slots = PlacementCapacity.Slots(used, app, old, needed);
        Assert.Equal(3, slots);
        Assert.NotNull(DeploymentFeasibility.Check(app, restart, old, false, slots));

        used.Add(Capacity(Agent("a3", cpus: 1, mem: 200)));
        slots = PlacementCapacity.Slots(used, app, old, needed);
        Assert.Equal(4, slots);
        Assert.Null(DeploymentFeasibility.Check(app, restart, old, false, slots));
    }
}
