using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Server.Agents;
using Harrier.Testing;
using Xunit;

namespace Harrier.Server.Tests;

/// <summary>Only the agent an instance is placed on speaks for its task (issue 14: forged status updates).</summary>
public sealed class AgentOwnershipTests
{
    [Fact]
    public async Task StatusUpdate_KilledFromAnotherAgent_ChangesNothingAndLaunchesNoDuplicate()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var owner = new FakeAgent(cluster.Gateway, "owner", hostname: "h1");
        await owner.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/victim", 1));
        await cluster.WaitForRunningAsync("/victim", 1);
        await using var mallory = new FakeAgent(cluster.Gateway, "mallory", hostname: "h2");
        await mallory.StartAsync();
        var before = cluster.InstancesOf("/victim").Single();

        await mallory.WaitForAckAsync(await mallory.ReportAsync(before.TaskId!.Value, TaskState.Killed));
        await Task.Delay(200); // some control passes: none may relaunch

        var after = cluster.InstancesOf("/victim").Single();
        Assert.Equal(before.TaskId, after.TaskId);
        Assert.Equal(Condition.Running, after.Condition);
        Assert.Equal(before.Since, after.Since);
        Assert.Single(owner.Received.OfType<LaunchTaskCommand>());
        Assert.Empty(mallory.Received.OfType<LaunchTaskCommand>());
        Assert.Empty(cluster.Snapshot.Orphans);
    }

    [Fact]
    public async Task StatusUpdate_RunningFromAnotherAgent_IsThatAgentsOrphan()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var owner = new FakeAgent(cluster.Gateway, "owner", hostname: "h1");
        await owner.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/victim", 1));
        await cluster.WaitForRunningAsync("/victim", 1);
        await using var copy = new FakeAgent(cluster.Gateway, "copy", hostname: "h2");
        await copy.StartAsync();
        var task = cluster.InstancesOf("/victim").Single().TaskId!.Value;

        await copy.WaitForAckAsync(await copy.ReportAsync(task, TaskState.Running));

        var orphan = cluster.Snapshot.Orphans[task];
        Assert.Equal(new AgentId("copy"), orphan.AgentId);
        Assert.Equal(new AgentId("owner"), cluster.InstancesOf("/victim").Single().AgentId);
    }

    [Fact]
    public async Task HealthReport_FromAnotherAgent_IsIgnored()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var owner = new FakeAgent(cluster.Gateway, "owner", hostname: "h1");
        await owner.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/checked", 1));
        await cluster.WaitForRunningAsync("/checked", 1);
        await using var mallory = new FakeAgent(cluster.Gateway, "mallory", hostname: "h2");
        await mallory.StartAsync();
        var instance = cluster.InstancesOf("/checked").Single();

        await mallory.ReportPassingAsync(instance.TaskId!.Value);
        await mallory.WaitForAckAsync(await mallory.ReportAsync(new TaskId("flush.instance-00000000-0000-0000-0000-000000000001._app.1"), TaskState.Finished));
        Assert.False(cluster.Snapshot.Health.ContainsKey(instance.Id));

        await owner.ReportPassingAsync(instance.TaskId!.Value);
        await cluster.WaitAsync(s => s.Health.ContainsKey(instance.Id), "the owner's report to count");
    }

    [Fact]
    public async Task Register_WithATaskPlacedOnAnotherAgent_DoesNotMoveTheInstance()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var owner = new FakeAgent(cluster.Gateway, "owner", hostname: "h1");
        await owner.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/stay", 1));
        await cluster.WaitForRunningAsync("/stay", 1);
        var task = cluster.InstancesOf("/stay").Single().TaskId!.Value;
        await using var thief = new FakeAgent(cluster.Gateway, "thief", hostname: "h2");

        await thief.StartAsync([new TaskReport(task, TaskState.Running)]);

        Assert.Equal(new AgentId("owner"), cluster.InstancesOf("/stay").Single().AgentId);
        Assert.Equal(new AgentId("thief"), cluster.Snapshot.Orphans[task].AgentId);
    }

    [Fact]
    public async Task PeriodicReconciliation_TaskTheServerDoesNotTrack_KilledAfterTheGrace()
    {
        var options = new ServerOptions
        {
            ReconcileInterval = TimeSpan.FromMilliseconds(20),
            RandomSeed = 7,
            AgentReconcileInterval = TimeSpan.FromMilliseconds(300),
            OrphanGracePeriod = TimeSpan.FromMilliseconds(500),
        };
        await using var cluster = await TestCluster.StartAsync(options: options);
        await using var agent = new FakeAgent(cluster.Gateway, "agent-1");
        await agent.StartAsync();

        await Eventually.TrueAsync(() => Task.FromResult(agent.Received.OfType<ReconcileCommand>().Any(r => r.TaskIds.IsEmpty)), TimeSpan.FromSeconds(10), "a reconciliation of all tasks");
        var ghost = new TaskId("ghost.instance-00000000-0000-0000-0000-000000000002._app.1");
        var reported = DateTimeOffset.UtcNow;
        await agent.WaitForAckAsync(await agent.ReportAsync(ghost, TaskState.Running, reason: "REASON_RECONCILIATION"));

        await Eventually.TrueAsync(() => Task.FromResult(agent.Received.OfType<KillTaskCommand>().Any(k => k.TaskId == ghost)), TimeSpan.FromSeconds(10), "the untracked task to be killed");
        Assert.True(DateTimeOffset.UtcNow - reported >= TimeSpan.FromMilliseconds(450), "killed only after the grace");
        await Eventually.TrueAsync(() => Task.FromResult(agent.Received.OfType<ReconcileCommand>().Count() >= 2), TimeSpan.FromSeconds(10), "reconciliations to repeat");
    }

    [Fact]
    public void TryAttach_SecondReaderWhileTheFirstReads_IsRefusedUntilARegistrationOpensANewStream()
    {
        var connections = new AgentConnections();
        var agent = new AgentId("agent-1");
        var first = connections.TryAttach(agent);

        Assert.NotNull(first);
        Assert.Null(connections.TryAttach(agent));
        connections.Open(agent);
        Assert.NotNull(connections.TryAttach(agent));
    }
}
