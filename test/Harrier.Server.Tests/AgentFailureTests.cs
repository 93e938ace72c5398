using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Server.Events;
using Harrier.State;
using Xunit;

namespace Harrier.Server.Tests;

/// <summary>Agents that stop heartbeating, each unreachableStrategy, agents that come back, and orphans (spec §11.3).</summary>
public sealed class AgentFailureTests
{
    private static ServerOptions Options(TimeSpan? orphanGrace = null) => new()
    {
        ReconcileInterval = TimeSpan.FromMilliseconds(20),
        RandomSeed = 7,
        AgentTimeout = TimeSpan.FromMilliseconds(400),
        OrphanGracePeriod = orphanGrace ?? TimeSpan.FromMinutes(5),
    };

    private static FakeAgent Agent(TestCluster cluster, string id) =>
        new(cluster.Gateway, id, hostname: id) { HeartbeatEvery = TimeSpan.FromMilliseconds(50) };

    /// <summary>One instance on each of two agents (UNIQUE hostname); returns the instance on agent-2.</summary>
    private static async Task<Instance> DeployAcrossAsync(TestCluster cluster, AppSpec app)
    {
        await cluster.DeployAsync(app);
        await cluster.WaitForRunningAsync(app.Id.ToString(), 2);
        return cluster.Snapshot.InstancesOf(app.Id).Single(i => i.AgentId == new AgentId("agent-2"));
    }

    private static AppSpec Unique(string id, UnreachableStrategy strategy, int instances = 2) => TestCluster.App(id, instances) with
    {
        UnreachableStrategy = strategy,
        Constraints = new([new ConstraintSpec("hostname", "UNIQUE", null)]),
    };

    [Fact]
    public async Task SilentAgent_DefaultStrategy_InstanceReplacedAndExpungedAtOnce()
    {
        await using var cluster = await TestCluster.StartAsync(options: Options());
        await using var one = Agent(cluster, "agent-1");
        await using var two = Agent(cluster, "agent-2");
        await using var three = Agent(cluster, "agent-3");
        await one.StartAsync();
        await two.StartAsync();
        using var events = cluster.Events.Subscribe();
        var lostInstance = await DeployAcrossAsync(cluster, Unique("/web", UnreachableStrategy.Default));
        await three.StartAsync();

        await two.GoSilentAsync();

        await cluster.WaitAsync(s => !s.Instances.ContainsKey(lostInstance.Id), "the unreachable instance to be expunged");
        await cluster.WaitForRunningAsync("/web", 2);
        var hosts = cluster.InstancesOf("/web").Select(i => i.AgentId!.Value.Value).Order().ToArray();
        Assert.Equal(["agent-1", "agent-3"], hosts);
        var agent = cluster.Snapshot.Agents[new AgentId("agent-2")];
        Assert.False(agent.Connected);
        Assert.True(agent.Lost);
        var unreachable = await NextStatusAsync(events, "TASK_UNREACHABLE");
        Assert.Equal(lostInstance.Id, unreachable.Instance.Id);
    }

    [Fact]
    public async Task ExpungedTask_AgentReturns_TaskKilledAtOnceAsOrphan()
    {
        await using var cluster = await TestCluster.StartAsync(options: Options());
        await using var one = Agent(cluster, "agent-1");
        await using var two = Agent(cluster, "agent-2");
        await one.StartAsync();
        await two.StartAsync();
        var lostInstance = await DeployAcrossAsync(cluster, Unique("/web", UnreachableStrategy.Default, instances: 2) with { Constraints = default });
        await two.GoSilentAsync();
        await cluster.WaitAsync(s => !s.Instances.ContainsKey(lostInstance.Id), "the unreachable instance to be expunged");

        await two.RejoinAsync();

        var oldTask = lostInstance.TaskId!.Value;
        await cluster.WaitAsync(_ => two.Tasks[oldTask] == TaskState.Killed, "the returning task to be killed");
        await cluster.WaitAsync(s => !s.Orphans.ContainsKey(oldTask), "the orphan to be forgotten once killed");
        Assert.True(cluster.Snapshot.Agents[new AgentId("agent-2")].Connected);
    }

    [Fact]
    public async Task SilentAgent_LongInactiveAfter_UnreachableNotReplacedThenBackToRunning()
    {
        await using var cluster = await TestCluster.StartAsync(options: Options());
        await using var one = Agent(cluster, "agent-1");
        await using var two = Agent(cluster, "agent-2");
        await one.StartAsync();
        await two.StartAsync();
        var lostInstance = await DeployAcrossAsync(cluster, Unique("/web", new UnreachableStrategy(false, 600, 1200)));

        await two.GoSilentAsync();
        await cluster.WaitAsync(s => s.Instances[lostInstance.Id].Condition == Condition.Unreachable, "the instance to be unreachable");
        Assert.Equal(2, cluster.InstancesOf("/web").Count);
        Assert.NotNull(cluster.Snapshot.Instances[lostInstance.Id].UnreachableSince);

        await two.RejoinAsync();

        await cluster.WaitAsync(s => s.Instances[lostInstance.Id].Condition == Condition.Running, "the instance to be running again");
        var back = cluster.Snapshot.Instances[lostInstance.Id];
        Assert.Equal(lostInstance.TaskId, back.TaskId);
        Assert.Equal(lostInstance.ActiveSince, back.ActiveSince);
        Assert.Null(back.UnreachableSince);
        Assert.Equal(2, cluster.InstancesOf("/web").Count);
    }

    [Theory]
    [InlineData(KillSelection.YoungestFirst, true)]
    [InlineData(KillSelection.OldestFirst, false)]
    public async Task InactiveInstanceReturns_SurplusKilledByKillSelection(KillSelection selection, bool originalSurvives)
    {
        await using var cluster = await TestCluster.StartAsync(options: Options());
        await using var one = Agent(cluster, "agent-1");
        await using var two = Agent(cluster, "agent-2");
        await two.StartAsync();
        var app = TestCluster.App("/web", 1) with { UnreachableStrategy = new UnreachableStrategy(false, 0, 600), KillSelection = selection };
        await cluster.DeployAsync(app);
        await cluster.WaitForRunningAsync("/web", 1);
        var original = cluster.InstancesOf("/web").Single();
        await one.StartAsync();

        await two.GoSilentAsync();
        await cluster.WaitAsync(
            s => s.InstancesOf(app.Id).Any(i => i.AgentId == new AgentId("agent-1") && i.Condition == Condition.Running),
            "a replacement running on agent-1");
        Assert.Equal(Condition.UnreachableInactive, cluster.Snapshot.Instances[original.Id].Condition);

        await two.RejoinAsync();

        await cluster.WaitAsync(
            s => s.InstancesOf(app.Id).Count(i => i.Condition.IsActive()) == 1 && s.InstancesOf(app.Id).Count() == 1,
            "the surplus to be killed and expunged");
        var survivor = cluster.InstancesOf("/web").Single();
        Assert.Equal(originalSurvives, survivor.Id == original.Id);
    }

    [Fact]
    public async Task SilentAgent_DisabledStrategy_WaitsForEver()
    {
        await using var cluster = await TestCluster.StartAsync(options: Options());
        await using var one = Agent(cluster, "agent-1");
        await using var two = Agent(cluster, "agent-2");
        await one.StartAsync();
        await two.StartAsync();
        var lostInstance = await DeployAcrossAsync(cluster, TestCluster.App("/web", 2) with { UnreachableStrategy = UnreachableStrategy.DisabledStrategy });

        await two.GoSilentAsync();
        await cluster.WaitAsync(s => s.Instances[lostInstance.Id].Condition == Condition.Unreachable, "the instance to be unreachable");
        var sequence = cluster.Snapshot.Sequence;
        await cluster.WaitAsync(s => s.Sequence > sequence + 60, "more control passes");

        Assert.Equal(Condition.Unreachable, cluster.Snapshot.Instances[lostInstance.Id].Condition);
        Assert.Equal(2, cluster.InstancesOf("/web").Count);
    }

    [Fact]
    public async Task KillUnreachableInstance_ExpungedAndReplaced()
    {
        await using var cluster = await TestCluster.StartAsync(options: Options());
        await using var one = Agent(cluster, "agent-1");
        await using var two = Agent(cluster, "agent-2");
        await one.StartAsync();
        await two.StartAsync();
        var lostInstance = await DeployAcrossAsync(cluster, TestCluster.App("/web", 2) with { UnreachableStrategy = UnreachableStrategy.DisabledStrategy });
        await two.GoSilentAsync();
        await cluster.WaitAsync(s => s.Instances[lostInstance.Id].Condition == Condition.Unreachable, "the instance to be unreachable");

        var killed = await cluster.Orchestrator.ExecuteAsync<IReadOnlyList<Instance>>(new Harrier.Server.Commands.KillInstancesCommand([lostInstance.Id], Wipe: false), CancellationToken.None);

        Assert.Equal(lostInstance.Id, Assert.Single(killed).Id);
        await cluster.WaitForRunningAsync("/web", 2);
        Assert.DoesNotContain(lostInstance.Id, cluster.Snapshot.Instances.Keys);
        Assert.True(cluster.Snapshot.ExpungedTasks.ContainsKey(lostInstance.TaskId!.Value));
    }

    [Fact]
    public async Task LostAgent_Heartbeat_RefusedSoItRegistersAgain()
    {
        await using var cluster = await TestCluster.StartAsync(options: Options());
        await using var one = Agent(cluster, "agent-1");
        await one.StartAsync();
        Assert.Equal(100, one.AskedHeartbeatMs);
        Assert.True(await cluster.Gateway.HeartbeatAsync(one.Info.Id, CancellationToken.None));

        await one.GoSilentAsync();
        await cluster.WaitAsync(s => s.Agents[one.Info.Id].Lost, "the agent to be lost");

        Assert.False(await cluster.Gateway.HeartbeatAsync(one.Info.Id, CancellationToken.None));
        Assert.False(await cluster.Gateway.HeartbeatAsync(new AgentId("never-registered"), CancellationToken.None));
        await one.RejoinAsync();
        Assert.True(await cluster.Gateway.HeartbeatAsync(one.Info.Id, CancellationToken.None));
        Assert.False(cluster.Snapshot.Agents[one.Info.Id].Lost);
    }

    [Fact]
    public async Task UnknownTask_Listed_ThenKilledAfterGrace()
    {
        await using var cluster = await TestCluster.StartAsync(options: Options(orphanGrace: TimeSpan.FromMilliseconds(600)));
        var stray = InstanceId.For(PathId.Parse("/gone"), Guid.NewGuid()).TaskFor(3);
        await using var agent = Agent(cluster, "agent-1");
        var started = DateTimeOffset.UtcNow;

        await agent.StartAsync([new TaskReport(stray, TaskState.Running)]);

        var orphan = cluster.Snapshot.Orphans[stray];
        Assert.Equal(agent.Info.Id, orphan.AgentId);
        Assert.Equal(TaskState.Running, orphan.State);
        Assert.Equal(600, orphan.KillAt.UnixMilliseconds - orphan.FirstSeen.UnixMilliseconds);
        Assert.Equal(TaskState.Running, agent.Tasks[stray]);
        await cluster.WaitAsync(_ => agent.Tasks[stray] == TaskState.Killed, "the orphan to be killed");
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(550));
        await cluster.WaitAsync(s => s.Orphans.IsEmpty, "the orphan list to empty");
    }

    [Fact]
    public async Task ServerRestart_AgentNeverReturns_InstancesUnreachableAfterTimeout()
    {
        var store = new InMemoryClusterStore();
        InstanceId lostId;
        await using (var cluster = await TestCluster.StartAsync(store, Options()))
        {
            await using var two = Agent(cluster, "agent-2");
            await two.StartAsync();
            await cluster.DeployAsync(TestCluster.App("/web", 1) with { UnreachableStrategy = new UnreachableStrategy(false, 600, 1200) });
            await cluster.WaitForRunningAsync("/web", 1);
            lostId = cluster.InstancesOf("/web").Single().Id;
        }

        await using var restarted = await TestCluster.StartAsync(store, Options());
        Assert.Equal(Condition.Running, restarted.Snapshot.Instances[lostId].Condition);
        await restarted.WaitAsync(s => s.Instances[lostId].Condition == Condition.Unreachable, "the instance to become unreachable");
        Assert.True(restarted.Snapshot.Agents[new AgentId("agent-2")].Lost);
    }

    private static async Task<TaskStatusEvent> NextStatusAsync(Subscription events, string state)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var e in events.Reader.ReadAllAsync(timeout.Token))
        {
            if (e.Event is TaskStatusEvent status && status.MesosState == state)
            {
                return status;
            }
        }
        throw new InvalidOperationException("no " + state);
    }
}
