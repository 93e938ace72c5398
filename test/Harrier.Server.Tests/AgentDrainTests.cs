using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Protocol;
using Harrier.Server.Cluster;
using Harrier.Server.Commands;
using Xunit;

namespace Harrier.Server.Tests;

/// <summary><c>harrier agent drain</c>: instances move off under each app's upgradeStrategy, then maintenance.</summary>
public sealed class AgentDrainTests
{
    private static readonly AgentId One = new("agent-1");
    private static readonly AgentId Two = new("agent-2");

    private static Task<AgentStatus> SetModeAsync(TestCluster cluster, AgentId agent, AgentMode mode) =>
        cluster.Orchestrator.ExecuteAsync<AgentStatus>(new SetAgentModeCommand(agent, mode), CancellationToken.None);

    [Fact]
    public async Task Drain_KillsOnlyOnceReplacementsRun_ThenMaintenance()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var one = new FakeAgent(cluster.Gateway, "agent-1", hostname: "one");
        await using var two = new FakeAgent(cluster.Gateway, "agent-2", hostname: "two");
        await one.StartAsync();
        await two.StartAsync();
        var app = TestCluster.App("/web", 4) with { UpgradeStrategy = new UpgradeStrategy(1, 0) };
        await cluster.DeployAsync(app);
        await cluster.WaitForRunningAsync("/web", 4);
        var onTwo = cluster.InstancesOf("/web").Where(i => i.AgentId == Two).Select(i => i.Id).ToHashSet();
        Assert.Equal(2, onTwo.Count);
        one.HoldLaunches = true;

        var draining = await SetModeAsync(cluster, Two, AgentMode.Draining);

        Assert.Equal(AgentMode.Draining, draining.Info.Mode);
        // minimumHealthCapacity 1 with no over-capacity: one extra instance starts first; nothing is killed meanwhile.
        await Harrier.Testing.Eventually.TrueAsync(() => one.Received.OfType<LaunchTaskCommand>().Count() == 3, TimeSpan.FromSeconds(10), "a replacement launch on agent-1");
        var sequence = cluster.Snapshot.Sequence;
        await cluster.WaitAsync(s => s.Sequence > sequence + 20, "more control passes");
        Assert.All(onTwo, id => Assert.Equal(Goal.Running, cluster.Snapshot.Instances[id].Goal));
        Assert.Equal(5, cluster.InstancesOf("/web").Count);

        one.HoldLaunches = false;
        await one.ReleaseAll();

        await cluster.WaitAsync(s => s.Agents[Two].Info.Mode == AgentMode.Maintenance, "agent-2 to be in maintenance");
        await cluster.WaitForRunningAsync("/web", 4);
        Assert.All(cluster.InstancesOf("/web"), i => Assert.Equal(One, i.AgentId));
        Assert.Empty(two.Live);
    }

    [Fact]
    public async Task DrainedAgent_GetsNoLaunches_UntilUndrained()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var two = new FakeAgent(cluster.Gateway, "agent-2", hostname: "two");
        await two.StartAsync();
        await SetModeAsync(cluster, Two, AgentMode.Draining);
        await cluster.WaitAsync(s => s.Agents[Two].Info.Mode == AgentMode.Maintenance, "an empty agent to be in maintenance at once");

        await cluster.DeployAsync(TestCluster.App("/web", 1));
        await cluster.WaitAsync(s => s.QueueReasons.ContainsKey(PathId.Parse("/web")), "a queue reason");
        Assert.Equal(1, cluster.Snapshot.Queue[PathId.Parse("/web")].RejectReasons["AgentMaintenance"]);
        Assert.Empty(two.Received.OfType<LaunchTaskCommand>());

        var undrained = await SetModeAsync(cluster, Two, AgentMode.Active);

        Assert.Equal(AgentMode.Active, undrained.Info.Mode);
        await cluster.WaitForRunningAsync("/web", 1);
    }

    [Fact]
    public async Task Drain_SurvivesReRegistration()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var two = new FakeAgent(cluster.Gateway, "agent-2", hostname: "two");
        await two.StartAsync();
        await SetModeAsync(cluster, Two, AgentMode.Draining);
        await cluster.WaitAsync(s => s.Agents[Two].Info.Mode == AgentMode.Maintenance, "maintenance");

        await two.RejoinAsync();

        Assert.Equal(AgentMode.Maintenance, cluster.Snapshot.Agents[Two].Info.Mode);
        // Draining a drained agent changes nothing.
        Assert.Equal(AgentMode.Maintenance, (await SetModeAsync(cluster, Two, AgentMode.Draining)).Info.Mode);
    }

    [Fact]
    public async Task Drain_UnknownAgent_404()
    {
        await using var cluster = await TestCluster.StartAsync();

        var error = await Assert.ThrowsAsync<CommandError>(() => SetModeAsync(cluster, new AgentId("nope"), AgentMode.Draining));

        Assert.Equal(404, error.Status);
        Assert.Equal("Agent nope does not exist", error.Message);
    }
}
