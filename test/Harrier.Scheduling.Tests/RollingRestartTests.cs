using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class RollingRestartTests
{
    private static readonly Timestamp OldVersion = T0;
    private static readonly Timestamp NewVersion = At(100);

    private static Instance Old(int n, Condition condition = Condition.Running, bool? healthy = true, Goal goal = Goal.Running) =>
        Instance("/web", n, condition, goal: goal, version: OldVersion, activeSince: At(n)) with { Healthy = healthy };

    private static Instance New(int n, Condition condition = Condition.Running, bool? healthy = true, Goal goal = Goal.Running) =>
        Instance("/web", 100 + n, condition, goal: goal, version: NewVersion, activeSince: At(200 + n)) with { Healthy = healthy };

    private static RollingRestartDecision Next(
        int n, double minHc, double maxOc, IEnumerable<Instance> instances, bool resident = false, bool healthChecks = true,
        bool readinessChecks = false, IReadOnlySet<InstanceId>? ready = null) =>
        RollingRestart.Next(new RollingRestartInput(
            n, new UpgradeStrategy(minHc, maxOc), resident, healthChecks, readinessChecks, NewVersion, [.. instances], ready));

    private static Instance[] Olds(int count) => [.. Enumerable.Range(0, count).Select(i => Old(i))];

    [Fact]
    public void Next_FullOverCapacity_StartsAllThenKillsOnePerHealthyNew()
    {
        var start = Next(4, 1, 1, Olds(4));
        Assert.Equal((0, 4, 4, 8, false), (start.Kill.Count, start.Launch, start.MinHealthy, start.MaxCapacity, start.Done));

        var newOnes = new[] { New(0), New(1, Condition.Staging, null), New(2, Condition.Staging, null), New(3, Condition.Staging, null) };
        var oneHealthy = Next(4, 1, 1, [.. Olds(4), .. newOnes]);

        Assert.Single(oneHealthy.Kill);
        Assert.Equal(0, oneHealthy.Launch);
    }

    [Fact]
    public void Next_HalfHealthNoOverCapacity_KillsTwoThenStartsTwoWhenTheyAreGone()
    {
        var start = Next(4, 0.5, 0, Olds(4));
        Assert.Equal((2, 0, 2, 4), (start.Kill.Count, start.Launch, start.MinHealthy, start.MaxCapacity));

        var killing = Olds(4).Select((o, i) => i < 2 ? o with { Goal = Goal.Decommissioned, Condition = Condition.Killing } : o);
        var whileKilling = Next(4, 0.5, 0, killing);
        Assert.Equal((0, 0), (whileKilling.Kill.Count, whileKilling.Launch));

        var gone = Next(4, 0.5, 0, Olds(4).Skip(2));
        Assert.Equal((0, 2), (gone.Kill.Count, gone.Launch));

        var oneHealthy = Next(4, 0.5, 0, [.. Olds(4).Skip(2), New(0), New(1, Condition.Staging, null)]);
        Assert.Equal((1, 0), (oneHealthy.Kill.Count, oneHealthy.Launch));
    }

    [Fact]
    public void Next_FullHealthNoOverCapacity_AllowsOneExtraInstance()
    {
        var start = Next(3, 1, 0, Olds(3));
        Assert.Equal((0, 1, 3, 4), (start.Kill.Count, start.Launch, start.MinHealthy, start.MaxCapacity));

        var newHealthy = Next(3, 1, 0, [.. Olds(3), New(0)]);
        Assert.Equal((1, 0), (newHealthy.Kill.Count, newHealthy.Launch));

        var oldGone = Next(3, 1, 0, [.. Olds(3).Skip(1), New(0)]);
        Assert.Equal((0, 1), (oldGone.Kill.Count, oldGone.Launch));
    }

    [Fact]
    public void Next_FullHealthNoOverCapacity_ResidentKillsOneInsteadOfOverProvisioning()
    {
        var start = Next(3, 1, 0, Olds(3), resident: true);

        Assert.Equal((1, 0, 3, 3), (start.Kill.Count, start.Launch, start.MinHealthy, start.MaxCapacity));
    }

    [Fact]
    public void Next_NoHealthNoOverCapacity_KillsFirstThenStarts()
    {
        var start = Next(1, 0, 0, Olds(1));
        Assert.Equal((1, 0, 0, 1), (start.Kill.Count, start.Launch, start.MinHealthy, start.MaxCapacity));

        var gone = Next(1, 0, 0, []);
        Assert.Equal((0, 1, false), (gone.Kill.Count, gone.Launch, gone.Done));

        var done = Next(1, 0, 0, [New(0)]);
        Assert.True(done.Done);
    }

    [Theory]
    // N, minHC, maxOC → minHealthy, maxCapacity, kill, launch (all old healthy)
    [InlineData(5, 0.5, 0.2, 3, 6, 2, 1)]
    [InlineData(3, 0.5, 0.2, 2, 3, 1, 0)]
    [InlineData(5, 1.0, 0.2, 5, 6, 0, 1)]
    [InlineData(3, 1.0, 0.2, 3, 4, 0, 1)] // 3 × 1.2 truncates to 3 = minHealthy: the +1 rule applies
    public void Next_FractionalOverCapacity_WorkedExamples(int n, double minHc, double maxOc, int minHealthy, int maxCapacity, int kill, int launch)
    {
        var d = Next(n, minHc, maxOc, Olds(n));

        Assert.Equal((minHealthy, maxCapacity, kill, launch), (d.MinHealthy, d.MaxCapacity, d.Kill.Count, d.Launch));
    }

    [Fact]
    public void Next_UnhealthyOld_AlwaysKilledFirst()
    {
        var instances = new[] { Old(0), Old(1, healthy: false), Old(2), Old(3, Condition.Staging, null) };

        var d = Next(4, 1, 0, instances);

        Assert.Equal([Old(1).Id, Old(3).Id], d.Kill);
    }

    [Fact]
    public void Next_HealthyButNotReady_DoesNotCountTowardKilling()
    {
        Instance[] instances = [.. Olds(3), New(0)];

        var notReady = Next(3, 1, 0, instances, readinessChecks: true, ready: new HashSet<InstanceId>());
        var ready = Next(3, 1, 0, instances, readinessChecks: true, ready: new HashSet<InstanceId> { New(0).Id });

        Assert.Empty(notReady.Kill);
        Assert.Single(ready.Kill);
    }

    [Fact]
    public void Next_WithoutHealthChecks_RunningCountsAsHealthyButStagingDoesNot()
    {
        var d = Next(2, 1, 0, [Old(0, healthy: null), Old(1, healthy: null), New(0, healthy: null), New(1, Condition.Staging, null)], healthChecks: false);

        Assert.Equal([Old(0).Id], d.Kill);
    }

    [Fact]
    public void Next_OldBeyondTarget_AreKilled()
    {
        var d = Next(2, 1, 0, Olds(5));

        Assert.Equal(3, d.Kill.Count);
        Assert.Equal(0, d.Launch);
    }

    [Fact]
    public void Next_OldBeingKilled_StillOccupiesCapacityAndBlocksDone()
    {
        var instances = new[] { Old(0, Condition.Killing, goal: Goal.Decommissioned), New(0), New(1) };

        var d = Next(2, 1, 0, instances);

        Assert.Empty(d.Kill);
        Assert.False(d.Done);
        Assert.True(Next(2, 1, 0, instances.Skip(1)).Done);
    }

    [Fact]
    public void Next_ResidentStoppedOldInstances_DoNotBlockDone()
    {
        var d = Next(1, 0.5, 0, [Old(0, Condition.Killed, goal: Goal.Stopped), New(0)], resident: true);

        Assert.True(d.Done);
    }

    [Fact]
    public void Next_ZeroInstances_KillsEverythingAndIsDoneWhenNothingIsLeft()
    {
        var d = Next(0, 1, 1, [Old(0), New(0)]);
        Assert.Equal(2, d.Kill.Count);
        Assert.False(d.Done);

        Assert.False(Next(0, 1, 1, [Old(0, Condition.Killing, goal: Goal.Decommissioned)]).Done);
        Assert.True(Next(0, 1, 1, []).Done);
    }

    [Fact]
    public void Next_AdoptedNewInstances_AreNotLaunchedAgain()
    {
        var d = Next(3, 1, 1, [.. Olds(3), New(0, Condition.Staging, null), New(1, Condition.Scheduled, null)]);

        Assert.Equal(1, d.Launch);
    }

    [Fact]
    public void Next_HealthyOld_OldestKilledFirst()
    {
        var younger = Old(0) with { ActiveSince = At(50) };
        var older = Old(1) with { ActiveSince = At(10) };

        var d = Next(2, 0.5, 0, [younger, older]);

        Assert.Equal([older.Id], d.Kill);
    }

    [Fact]
    public void For_TakesTargetChecksAndConfigVersionFromTheApp()
    {
        var app = App("/web", 3) with
        {
            HealthChecks = new[] { new HealthCheckSpec() },
            UpgradeStrategy = new UpgradeStrategy(0.5, 0),
            VersionInfo = new VersionInfo(At(300), At(300), NewVersion),
        };

        var input = RollingRestartInput.For(app, resident: false, [Old(0)]);

        Assert.Equal((3, true, false, NewVersion, app.UpgradeStrategy), (input.TargetInstances, input.HasHealthChecks, input.HasReadinessChecks, input.ConfigVersion, input.Strategy));
    }
}
