using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Server.Balancers;
using Harrier.Server.Commands;
using Harrier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.Server.Tests.Balancers;

/// <summary>
/// The orchestrator's kills through the balancer gate: the real orchestrator and a scripted agent on real time, the
/// registry's deadlines and leases on a manual clock the test moves.
/// </summary>
public sealed class KillGateTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
    private TestCluster _cluster = null!;
    private FakeAgent _agent = null!;

    private BalancerRegistry Registry => _cluster.Balancers!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync(
            options: new ServerOptions { ReconcileInterval = TimeSpan.FromMilliseconds(20), RandomSeed = 7, KillRetryInterval = TimeSpan.FromMilliseconds(100) },
            balancers: connections => new BalancerRegistry(connections, _clock, NullLogger<BalancerRegistry>.Instance));
        _agent = new FakeAgent(_cluster.Gateway);
        await _agent.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private static AppSpec Fronted(string id, int instances, string group = "external", int? grace = null) =>
        TestCluster.App(id, instances) with
        {
            Labels = new ValueMap<string>([new("HAPROXY_GROUP", group)]),
            TaskKillGracePeriodSeconds = grace,
        };

    private bool KillSent(TaskId task) => _agent.Received.OfType<KillTaskCommand>().Any(k => k.TaskId == task);

    /// <summary>Deploys, waits for the instances to run, then scales to one fewer; returns the task the scale-down kills.</summary>
    private async Task<TaskId> ScaleDownAsync(AppSpec app)
    {
        await _cluster.DeployAsync(app);
        await _cluster.WaitForRunningAsync(app.Id.ToString(), app.Instances);
        var before = _cluster.InstancesOf(app.Id.ToString()).Select(i => i.TaskId!.Value).ToHashSet();
        await _cluster.DeployAsync(app with { Instances = app.Instances - 1 });
        await _cluster.WaitAsync(s => s.InstancesOf(app.Id).Any(i => i.Goal != Goal.Running), "an instance to be stopped");
        // Read from `before`: without a hold, the killed instance may already be gone from the next snapshot.
        var kept = _cluster.InstancesOf(app.Id.ToString()).Where(i => i.Goal == Goal.Running).Select(i => i.TaskId!.Value).ToHashSet();
        return before.Except(kept).Single();
    }

    private Task WaitForPendingAsync(string balancer, int count) =>
        Eventually.TrueAsync(() => Registry.Find(balancer)?.PendingDrains == count, TimeSpan.FromSeconds(10), $"{count} drain(s) pending for {balancer}");

    /// <summary>Lets the orchestrator run several batches, including a full sweep (kill retries), so a kill it would send has gone out.</summary>
    private async Task LetBatchesRunAsync()
    {
        var sequence = _cluster.Snapshot.Sequence;
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        await _cluster.WaitAsync(s => s.Sequence > sequence + 5, "more batches");
    }

    [Fact]
    public async Task Dispatch_ScaleDownOfFrontedApp_KillReachesAgentOnlyAfterConfirmation()
    {
        Registry.Register("lb-1", ["external"], null);

        var task = await ScaleDownAsync(Fronted("/web", 2));
        await WaitForPendingAsync("lb-1", 1);
        await LetBatchesRunAsync();

        KillSent(task).ShouldBeFalse();
        _cluster.Snapshot.FindByTask(task)!.Condition.ShouldBe(Condition.Running);
        var drain = (await Registry.WaitForDrainsAsync("lb-1", TimeSpan.Zero, CancellationToken.None))!.Single();
        drain.TaskId.ShouldBe(task.Value);
        drain.AppId.ShouldBe("/web");
        drain.Host.ShouldBe("127.0.0.1");
        drain.Ports.Count.ShouldBe(1);
        (drain.Deadline.UnixMilliseconds - drain.RequestedAt.UnixMilliseconds).ShouldBe(10_000);

        Registry.Confirm("lb-1", [task.Value, "no-such-task"]).ShouldBe(1);
        await Eventually.TrueAsync(() => KillSent(task), TimeSpan.FromSeconds(10), "the kill to reach the agent");
        await _cluster.WaitForRunningAsync("/web", 1);
        _agent.Received.OfType<KillTaskCommand>().Count(k => k.TaskId == task).ShouldBe(1);
    }

    [Fact]
    public async Task Dispatch_NoBalancerRegistered_KillIsImmediate()
    {
        var task = await ScaleDownAsync(Fronted("/web", 2));

        await Eventually.TrueAsync(() => KillSent(task), TimeSpan.FromSeconds(10), "the kill to reach the agent");
        Registry.HoldCount.ShouldBe(0);
    }

    [Fact]
    public async Task Dispatch_BalancerOfAnotherGroup_KillIsImmediate()
    {
        Registry.Register("lb-internal", ["internal"], null);

        var task = await ScaleDownAsync(Fronted("/web", 2));

        await Eventually.TrueAsync(() => KillSent(task), TimeSpan.FromSeconds(10), "the kill to reach the agent");
        Registry.Find("lb-internal")!.PendingDrains.ShouldBe(0);
    }

    [Fact]
    public async Task Dispatch_BalancerServingEverything_HoldsAnAppWithoutGroup()
    {
        Registry.Register("lb-all", ["*"], null);

        var task = await ScaleDownAsync(TestCluster.App("/plain", 2));

        await WaitForPendingAsync("lb-all", 1);
        KillSent(task).ShouldBeFalse();
        Registry.Remove("lb-all").ShouldBeTrue();
        await Eventually.TrueAsync(() => KillSent(task), TimeSpan.FromSeconds(10), "the kill to reach the agent");
    }

    [Fact]
    public async Task Dispatch_BalancerNeverConfirms_KillGoesOutAfterTheTimeout()
    {
        Registry.Register("lb-1", ["external"], null);
        var task = await ScaleDownAsync(Fronted("/web", 2));
        await WaitForPendingAsync("lb-1", 1);

        _clock.Advance(TimeSpan.FromSeconds(9.9));
        await LetBatchesRunAsync();
        KillSent(task).ShouldBeFalse();

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => KillSent(task), TimeSpan.FromSeconds(10), "the kill after the timeout");
        Registry.Find("lb-1")!.PendingDrains.ShouldBe(0);
    }

    [Fact]
    public async Task Dispatch_AppWithKillGracePeriod_GracePeriodBoundsTheHold()
    {
        Registry.Register("lb-1", ["external"], null);
        var task = await ScaleDownAsync(Fronted("/web", 2, grace: 3));
        await WaitForPendingAsync("lb-1", 1);

        _clock.Advance(TimeSpan.FromSeconds(2.9));
        KillSent(task).ShouldBeFalse();
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        await Eventually.TrueAsync(() => KillSent(task), TimeSpan.FromSeconds(10), "the kill after the app's grace period");
    }

    [Fact]
    public async Task Dispatch_BalancerLeaseExpires_HeldKillProceedsAtOnce()
    {
        Registry.Register("lb-1", ["external"], null);
        var task = await ScaleDownAsync(Fronted("/web", 2, grace: 60));
        await WaitForPendingAsync("lb-1", 1);

        _clock.Advance(BalancerRegistry.Lease - TimeSpan.FromMilliseconds(100));
        KillSent(task).ShouldBeFalse();
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        await Eventually.TrueAsync(() => KillSent(task), TimeSpan.FromSeconds(10), "the kill once the balancer expired");
        Registry.Find("lb-1").ShouldBeNull();
    }

    [Fact]
    public async Task Dispatch_BalancerDeregisters_HeldKillProceedsAtOnce()
    {
        Registry.Register("lb-1", ["external"], null);
        var task = await ScaleDownAsync(Fronted("/web", 2, grace: 60));
        await WaitForPendingAsync("lb-1", 1);

        Registry.Remove("lb-1").ShouldBeTrue();

        await Eventually.TrueAsync(() => KillSent(task), TimeSpan.FromSeconds(10), "the kill once the balancer left");
        Registry.HoldCount.ShouldBe(0);
    }

    [Fact]
    public async Task Dispatch_TwoBalancers_KillWaitsForBoth()
    {
        Registry.Register("lb-1", ["external"], null);
        Registry.Register("lb-2", ["internal", "external"], null);
        var task = await ScaleDownAsync(Fronted("/web", 2));
        await WaitForPendingAsync("lb-2", 1);

        Registry.Confirm("lb-1", [task.Value]).ShouldBe(1);
        await LetBatchesRunAsync();
        KillSent(task).ShouldBeFalse();

        Registry.Confirm("lb-2", [task.Value]).ShouldBe(1);
        await Eventually.TrueAsync(() => KillSent(task), TimeSpan.FromSeconds(10), "the kill once both confirmed");
    }

    [Fact]
    public async Task Dispatch_RestartOfFrontedApp_OldTaskKillIsHeld()
    {
        Registry.Register("lb-1", ["external"], null);
        var app = Fronted("/web", 1);
        await _cluster.DeployAsync(app);
        await _cluster.WaitForRunningAsync("/web", 1);
        var old = _cluster.InstancesOf("/web").Single().TaskId!.Value;

        await _cluster.Orchestrator.ExecuteAsync(new DeployAppsCommand([new AppChange(app.Id, null, Restart: true)], Force: false), CancellationToken.None);
        await WaitForPendingAsync("lb-1", 1);
        KillSent(old).ShouldBeFalse();
        (await Registry.WaitForDrainsAsync("lb-1", TimeSpan.Zero, CancellationToken.None))!.Single().TaskId.ShouldBe(old.Value);

        Registry.Confirm("lb-1", [old.Value]).ShouldBe(1);
        await Eventually.TrueAsync(() => KillSent(old), TimeSpan.FromSeconds(10), "the old task's kill");
        await _cluster.WaitForRunningAsync("/web", 1);
    }

    [Fact]
    public async Task Dispatch_KillOfOneTask_IsHeldWhileOtherAppsKillsAreNot()
    {
        Registry.Register("lb-1", ["external"], null);
        await _cluster.DeployAsync(Fronted("/web", 1));
        await _cluster.DeployAsync(TestCluster.App("/batch", 1));
        await _cluster.WaitAsync(s => s.Instances.Values.Count(i => i.Condition == Condition.Running) == 2 && s.Deployments.IsEmpty, "both apps running");
        var web = _cluster.InstancesOf("/web").Single();
        var batch = _cluster.InstancesOf("/batch").Single();

        // DELETE /v2/apps/web/tasks/{task}: the task is killed and relaunched.
        await _cluster.Orchestrator.ExecuteAsync(new KillInstancesCommand([web.Id], Wipe: false), CancellationToken.None);
        await WaitForPendingAsync("lb-1", 1);
        await _cluster.Orchestrator.ExecuteAsync(new KillInstancesCommand([batch.Id], Wipe: false), CancellationToken.None);

        await Eventually.TrueAsync(() => KillSent(batch.TaskId!.Value), TimeSpan.FromSeconds(10), "the unfronted app's kill");
        KillSent(web.TaskId!.Value).ShouldBeFalse();
        Registry.Confirm("lb-1", [web.TaskId!.Value.Value]).ShouldBe(1);
        await Eventually.TrueAsync(() => KillSent(web.TaskId!.Value), TimeSpan.FromSeconds(10), "the fronted app's kill");
    }

    [Fact]
    public async Task Dispatch_TaskNeverRunning_IsNotHeld()
    {
        Registry.Register("lb-1", ["external"], null);
        _agent.HoldLaunches = true;
        await _cluster.DeployAsync(Fronted("/web", 1));
        await _cluster.WaitAsync(s => s.InstancesOf(PathId.Parse("/web")).Any(i => i.Condition == Condition.Staging), "a staging task");
        var task = _cluster.InstancesOf("/web").Single().TaskId!.Value;

        await _cluster.DeployAsync(Fronted("/web", 0), force: true);

        await Eventually.TrueAsync(() => KillSent(task), TimeSpan.FromSeconds(10), "the staging task's kill");
        Registry.Find("lb-1")!.PendingDrains.ShouldBe(0);
    }

    [Fact]
    public async Task WaitForDrainsAsync_DrainRequestedDuringThePoll_ReturnsAtOnce()
    {
        Registry.Register("lb-1", ["external"], null);
        await _cluster.DeployAsync(Fronted("/web", 2));
        await _cluster.WaitForRunningAsync("/web", 2);
        var poll = Registry.WaitForDrainsAsync("lb-1", TimeSpan.FromSeconds(25), CancellationToken.None);
        await Task.Delay(100);
        poll.IsCompleted.ShouldBeFalse();

        await _cluster.DeployAsync(Fronted("/web", 1));

        var drains = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        drains!.Single().AppId.ShouldBe("/web");
    }

    [Fact]
    public async Task WaitForDrainsAsync_OpenPoll_KeepsTheLeaseAlive()
    {
        Registry.Register("lb-1", ["external"], null);
        var poll = Registry.WaitForDrainsAsync("lb-1", TimeSpan.FromSeconds(25), CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(20));
        Registry.Find("lb-1").ShouldNotBeNull();
        _clock.Advance(TimeSpan.FromSeconds(5));
        (await poll.WaitAsync(TimeSpan.FromSeconds(10)))!.ShouldBeEmpty();

        _clock.Advance(BalancerRegistry.Lease);
        Registry.Find("lb-1").ShouldBeNull();
        (await Registry.WaitForDrainsAsync("lb-1", TimeSpan.Zero, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task WaitForDrainsAsync_BalancerRemovedDuringThePoll_ReturnsNull()
    {
        Registry.Register("lb-1", ["external"], null);
        var poll = Registry.WaitForDrainsAsync("lb-1", TimeSpan.FromSeconds(25), CancellationToken.None);

        Registry.Remove("lb-1").ShouldBeTrue();

        (await poll.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeNull();
        Registry.Confirm("lb-1", ["x"]).ShouldBeNull();
    }
}
