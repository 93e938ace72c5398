using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Server.Cluster;
using Harrier.Server.Commands;
using Harrier.Testing;
using Xunit;

namespace Harrier.Server.Tests;

/// <summary>
/// Resident apps (persistent local volumes): an instance reserves its volumes on the agent it first lands on, every
/// relaunch and upgrade goes back there under the same instance id, the disk stays reserved while no task runs,
/// and deleting the app destroys the volumes on the agent.
/// </summary>
public sealed class ResidentAppTests
{
    private static AppSpec Resident(string id, int instances, string cmd = "sleep 3600") => TestCluster.App(id, instances, cmd) with
    {
        Container = new ContainerSpec
        {
            Type = ContainerType.Mesos,
            Volumes = new[] { new VolumeSpec { ContainerPath = "data", Mode = "RW", Persistent = new PersistentVolumeSpec("root", 500) } },
        },
        Residency = new ResidencySpec(),
        UpgradeStrategy = UpgradeStrategy.ResidentDefault,
        UnreachableStrategy = UnreachableStrategy.DisabledStrategy,
    };

    /// <summary>A cluster with two fake agents; disposing stops all three.</summary>
    private sealed class TwoAgents(TestCluster cluster, FakeAgent one, FakeAgent two) : IAsyncDisposable
    {
        public static async Task<TwoAgents> StartAsync()
        {
            var cluster = await TestCluster.StartAsync();
            var one = new FakeAgent(cluster.Gateway, "agent-1", hostname: "one");
            var two = new FakeAgent(cluster.Gateway, "agent-2", hostname: "two");
            await one.StartAsync();
            await two.StartAsync();
            return new TwoAgents(cluster, one, two);
        }

        public void Deconstruct(out TestCluster c, out FakeAgent a, out FakeAgent b) => (c, a, b) = (cluster, one, two);

        public async ValueTask DisposeAsync()
        {
            await one.DisposeAsync();
            await two.DisposeAsync();
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Deploy_ResidentApp_ReservesVolumesAndLaunchesWithTheirIds()
    {
        await using var agents = await TwoAgents.StartAsync();
        var (cluster, one, two) = agents;

        await cluster.DeployAsync(Resident("/db", 2));
        await cluster.WaitForRunningAsync("/db", 2);

        foreach (var instance in cluster.InstancesOf("/db"))
        {
            Assert.Equal(["data"], instance.LocalVolumes);
            Assert.True(instance.HoldsReservation);
            var agent = instance.AgentId == one.Info.Id ? one : two;
            var launch = agent.Received.OfType<LaunchTaskCommand>().Single(l => l.Launch.InstanceId == instance.Id).Launch;
            var volume = Assert.Single(launch.Container!.Volumes);
            Assert.Equal(LocalVolumeId.For(instance, "data"), volume.PersistentId);
            Assert.Equal(500, volume.SizeMiB);
            Assert.StartsWith("db#data#", volume.PersistentId, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TaskFails_ResidentInstance_RelaunchesOnItsOwnAgentOnly()
    {
        await using var agents = await TwoAgents.StartAsync();
        var (cluster, one, two) = agents;
        await cluster.DeployAsync(Resident("/db", 1) with { BackoffSeconds = 0 });
        await cluster.WaitForRunningAsync("/db", 1);
        var first = Assert.Single(cluster.InstancesOf("/db"));
        var home = first.AgentId == one.Info.Id ? one : two;
        var other = home == one ? two : one;

        for (var round = 1; round <= 4; round++)
        {
            var current = cluster.Snapshot.Instances[first.Id];
            await home.ReportAsync(current.TaskId!.Value, TaskState.Failed, "boom");
            await cluster.WaitAsync(s => s.Instances[first.Id].Incarnation == current.Incarnation + 1 && s.Instances[first.Id].Condition == Condition.Running, $"relaunch {round}");
        }

        Assert.Equal(5, home.Received.OfType<LaunchTaskCommand>().Count());
        Assert.Empty(other.Received.OfType<LaunchTaskCommand>());
        Assert.Equal(first.Id, Assert.Single(cluster.InstancesOf("/db")).Id);
    }

    [Fact]
    public async Task Upgrade_ResidentApp_RelaunchesTheSameInstancesWithTheNewVersion()
    {
        await using var agents = await TwoAgents.StartAsync();
        var (cluster, one, two) = agents;
        var app = Resident("/db", 2);
        await cluster.DeployAsync(app);
        await cluster.WaitForRunningAsync("/db", 2);
        var before = cluster.InstancesOf("/db").ToDictionary(i => i.Id, i => i.AgentId);

        await cluster.DeployAsync(app with { Cmd = "sleep 7200" });
        await cluster.WaitAsync(s => s.Deployments.IsEmpty && s.InstancesOf(app.Id).All(i => i.Condition == Condition.Running && i.Incarnation == 2), "both instances relaunched");

        var after = cluster.InstancesOf("/db");
        Assert.Equal(before.Keys.Select(k => k.Value).Order(StringComparer.Ordinal), after.Select(i => i.Id.Value).Order(StringComparer.Ordinal));
        Assert.All(after, i => Assert.Equal(before[i.Id], i.AgentId));
        Assert.All(after, i => Assert.Equal(cluster.Snapshot.Apps[app.Id].Version, i.RunSpecVersion));
    }

    [Fact]
    public async Task ScaleDownThenUp_ResidentApp_KeepsTheReservationAndReusesIt()
    {
        await using var agents = await TwoAgents.StartAsync();
        var (cluster, one, two) = agents;
        var app = Resident("/db", 2);
        await cluster.DeployAsync(app);
        await cluster.WaitForRunningAsync("/db", 2);
        var ids = cluster.InstancesOf("/db").Select(i => i.Id.Value).Order(StringComparer.Ordinal).ToList();

        await cluster.DeployAsync(app with { Instances = 1 });
        await cluster.WaitAsync(s => s.Deployments.IsEmpty && s.InstancesOf(app.Id).Count(i => i.Goal == Goal.Stopped && i.Condition.IsTerminal()) == 1, "one instance stopped");
        var stopped = cluster.InstancesOf("/db").Single(i => i.Goal == Goal.Stopped);
        Assert.True(stopped.HoldsReservation);
        // Its volumes' disk stays reserved on its agent while it runs nothing.
        Assert.Equal(500, AgentUsage.Of(cluster.Snapshot)[stopped.AgentId!.Value].Used.Disk);

        await cluster.DeployAsync(app with { Instances = 2 });
        await cluster.WaitAsync(s => s.Deployments.IsEmpty && s.InstancesOf(app.Id).Count(i => i.Condition == Condition.Running) == 2, "two running again");
        Assert.Equal(ids, cluster.InstancesOf("/db").Select(i => i.Id.Value).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(stopped.AgentId, cluster.Snapshot.Instances[stopped.Id].AgentId);
    }

    [Fact]
    public async Task Delete_ResidentApp_DestroysTheVolumesOnTheirAgents()
    {
        await using var agents = await TwoAgents.StartAsync();
        var (cluster, one, two) = agents;
        await cluster.DeployAsync(Resident("/db", 2));
        await cluster.WaitForRunningAsync("/db", 2);
        var expected = cluster.InstancesOf("/db").ToDictionary(i => i.Id, i => (i.AgentId, Id: LocalVolumeId.For(i, "data")));

        await cluster.Orchestrator.ExecuteAsync<DeployResult>(new DeployAppsCommand([new AppChange(PathId.Parse("/db"), null, Delete: true)], false), CancellationToken.None);
        await cluster.WaitAsync(s => s.InstancesOf(PathId.Parse("/db")).Count() == 0, "instances expunged");

        await Eventually.TrueAsync(
            () => one.Received.Concat(two.Received).OfType<DestroyVolumesCommand>().Count() == 2,
            TimeSpan.FromSeconds(10),
            "a destroy command per instance");
        foreach (var (agent, fake) in new[] { (one.Info.Id, one), (two.Info.Id, two) })
        {
            foreach (var destroy in fake.Received.OfType<DestroyVolumesCommand>())
            {
                Assert.Equal(agent, expected[destroy.InstanceId].AgentId);
                Assert.Equal([expected[destroy.InstanceId].Id], destroy.VolumeIds);
            }
        }
        Assert.DoesNotContain(AgentUsage.Of(cluster.Snapshot).Values, u => u.Used.Disk > 0);
    }

    [Fact]
    public async Task Relaunch_TwoReservedInstancesOnAFullAgent_TakeCapacityInTurnAndNeverOverCommit()
    {
        // One agent with 1 cpu: /db's two reserved instances (0.5 each) fail together; while their backoff runs, /web
        // (0.5) takes half the agent. When the backoff ends both reserved instances are placed in the same pass: only
        // one still fits. (Placed against one unreduced view, both were launched: 1.5 cpus on a 1-cpu agent.)
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway, "agent-1", cpus: 1, hostname: "one");
        await agent.StartAsync();
        await cluster.DeployAsync(Resident("/db", 2) with { Cpus = 0.5, BackoffSeconds = 2 });
        await cluster.WaitForRunningAsync("/db", 2);
        var db = cluster.InstancesOf("/db");

        foreach (var instance in db)
        {
            await agent.ReportAsync(instance.TaskId!.Value, TaskState.Failed, "boom");
        }
        await cluster.WaitAsync(s => s.InstancesOf(PathId.Parse("/db")).All(i => i.Condition == Condition.Scheduled), "both reserved instances waiting out their backoff");
        await cluster.DeployAsync(TestCluster.App("/web", 1) with { Cpus = 0.5 });
        await cluster.WaitForRunningAsync("/web", 1);

        await cluster.WaitAsync(s => s.InstancesOf(PathId.Parse("/db")).Count(i => i.Condition == Condition.Running) == 1, "one reserved instance relaunched");
        // Give a second (wrong) launch time to show up: the next passes run every few milliseconds.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, cluster.InstancesOf("/db").Count(i => i.Condition.IsActive()));
        Assert.Equal(3, agent.Received.OfType<LaunchTaskCommand>().Count(l => db.Any(i => i.Id == l.Launch.InstanceId)));
        Assert.True(AgentUsage.Of(cluster.Snapshot)[agent.Info.Id].Used.Cpus <= 1.0 + 1e-9);
    }
}
