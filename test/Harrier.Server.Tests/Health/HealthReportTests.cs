using Harrier.Core.Apps;
using Harrier.Core.Health;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.Server.Events;
using Harrier.Server.Health;
using Xunit;

namespace Harrier.Server.Tests.Health;

public sealed class HealthReportTests
{
    private static readonly Timestamp T0 = Timestamp.From(DateTimeOffset.UtcNow);

    private static AppSpec Checked(string id, int instances) =>
        TestCluster.App(id, instances) with { HealthChecks = new[] { new HealthCheckSpec { IntervalSeconds = 1, MaxConsecutiveFailures = 2 } } };

    private static HealthCheckResult Passing() => new() { CheckIndex = 0, FirstSuccess = T0, LastSuccess = T0 };

    private static HealthCheckResult Failing(int count) =>
        new() { CheckIndex = 0, ConsecutiveFailures = count, FirstSuccess = T0, LastSuccess = T0, LastFailure = T0.Plus(TimeSpan.FromSeconds(count)), LastFailureCause = "500 Internal Server Error" };

    [Fact]
    public async Task Launch_AppWithHealthCheck_CarriesTheCheckWithItsHostPort()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await cluster.DeployAsync(Checked("/web", 1) with { ReadinessChecks = new[] { new ReadinessCheckSpec { PortName = "default" } } });
        await cluster.WaitAsync(s => s.InstancesOf(PathId.Parse("/web")).Any(i => i.Condition == Condition.Running), "running");

        var launch = agent.Received.OfType<LaunchTaskCommand>().Single().Launch;
        var check = Assert.Single(launch.HealthChecks);
        Assert.Equal(0, check.Index);
        Assert.Equal(launch.HostPorts[0], check.Port);
        Assert.Equal(launch.HostPorts[0], launch.Readiness!.Port);
    }

    [Fact]
    public async Task Report_OvertakesTheRunningUpdate_InstanceIsHealthyOnceRunning_DeploymentEnds()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway) { HoldLaunches = true };
        await agent.StartAsync();
        await cluster.DeployAsync(Checked("/early", 1));
        await cluster.WaitAsync(s => s.InstancesOf(PathId.Parse("/early")).Any(i => i.Condition == Condition.Staging), "staging");
        var instance = cluster.InstancesOf("/early").Single();

        // The agent's checker passed before its RUNNING update reached the server; the report is not sent again.
        await agent.ReportHealthAsync(instance.TaskId!.Value, Passing());
        await cluster.WaitAsync(s => s.Health.ContainsKey(instance.Id), "the report taken");
        await agent.WaitForAckAsync(await agent.ReportAsync(instance.TaskId!.Value, TaskState.Starting));
        await agent.ReleaseAll();

        await cluster.WaitAsync(s => s.Instances[instance.Id] is { Condition: Condition.Running, Healthy: true }, "running and healthy");
        await cluster.WaitAsync(s => s.Deployments.IsEmpty, "the deployment to end");
    }

    [Fact]
    public async Task Report_PassingThenFailing_SetsInstanceHealthAndPublishesMarathonEvents()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var events = cluster.Events.Subscribe();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await cluster.DeployAsync(Checked("/web", 1));
        await cluster.WaitAsync(s => s.InstancesOf(PathId.Parse("/web")).Any(i => i.Condition == Condition.Running), "running");
        var instance = cluster.InstancesOf("/web").Single();
        Assert.Null(instance.Healthy);

        await agent.ReportHealthAsync(instance.TaskId!.Value, Passing());
        await cluster.WaitAsync(s => s.Instances[instance.Id].Healthy == true, "healthy");
        await agent.ReportHealthAsync(instance.TaskId!.Value, Failing(1));
        await cluster.WaitAsync(s => s.Instances[instance.Id].Healthy == false, "unhealthy");

        var seen = await DrainAsync(events);
        Assert.Equal([true, false], seen.OfType<HealthStatusChangedEvent>().Select(e => e.Alive));
        Assert.Equal([true, false], seen.OfType<InstanceHealthChangedEvent>().Select(e => e.Healthy));
        var failed = Assert.Single(seen.OfType<FailedHealthCheckEvent>());
        Assert.Equal(instance.Id, failed.Instance.Id);
        Assert.Equal(2, failed.Check!.MaxConsecutiveFailures);
        Assert.Empty(seen.OfType<UnhealthyInstanceKillEvent>());
        Assert.Equal(1, cluster.Snapshot.Health[instance.Id].Results[0].ConsecutiveFailures);
    }

    [Fact]
    public async Task Report_KillRequested_KillsAndRelaunchesTheSameInstanceWithoutBackoff()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var events = cluster.Events.Subscribe();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await DeployHealthyAsync(cluster, agent, "/web");
        var instance = cluster.InstancesOf("/web").Single();

        await agent.ReportHealthAsync(instance.TaskId!.Value, Failing(3), kill: true);

        await cluster.WaitAsync(s => s.Instances[instance.Id].Incarnation == 2 && s.Instances[instance.Id].Condition == Condition.Running, "relaunched");
        Assert.Single(agent.Received.OfType<KillTaskCommand>(), k => k.TaskId == instance.TaskId);
        Assert.False(cluster.Snapshot.Delays.TryGetValue(PathId.Parse("/web"), out var delay) && delay.Delay is not null, "a health kill must not grow the backoff");
        Assert.False(cluster.Snapshot.Health.ContainsKey(instance.Id), "the old task's health must not carry over");
        var kill = Assert.Single((await DrainAsync(events)).OfType<UnhealthyInstanceKillEvent>());
        Assert.Equal("500 Internal Server Error", kill.Reason);
        Assert.Equal(Goal.Running, cluster.Snapshot.Instances[instance.Id].Goal);
    }

    [Fact]
    public async Task Report_ForAnOldTask_IsIgnored()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await DeployHealthyAsync(cluster, agent, "/web");
        var instance = cluster.InstancesOf("/web").Single();

        await agent.ReportHealthAsync(instance.Id.TaskFor(7), Failing(3), kill: true);
        await agent.ReportHealthAsync(instance.TaskId!.Value, Passing());

        await cluster.WaitAsync(s => s.Instances[instance.Id].Healthy == true, "healthy from the current task");
        Assert.Empty(agent.Received.OfType<KillTaskCommand>());
    }

    [Fact]
    public async Task Reports_ManyAppsFailingAtOnce_OpenTheBreakerAndHoldKillsUntilItRecovers()
    {
        var options = new ServerOptions
        {
            ReconcileInterval = TimeSpan.FromMilliseconds(20),
            RandomSeed = 7,
            HealthBreaker = new HealthBreakerOptions { MinApps = 3, FailingShare = 0.5, RecoveryPeriod = TimeSpan.FromMilliseconds(300) },
        };
        await using var cluster = await TestCluster.StartAsync(options: options);
        using var events = cluster.Events.Subscribe();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        string[] apps = ["/a", "/b", "/c"];
        foreach (var id in apps)
        {
            await DeployHealthyAsync(cluster, agent, id);
        }
        var instances = apps.Select(id => cluster.InstancesOf(id).Single()).ToList();
        foreach (var i in instances)
        {
            await agent.ReportHealthAsync(i.TaskId!.Value, Failing(1));
        }
        await cluster.WaitAsync(s => s.HealthBreaker.Mode == HealthBreakerMode.Open, "breaker open");

        await agent.ReportHealthAsync(instances[0].TaskId!.Value, Failing(3), kill: true);
        await cluster.WaitAsync(s => s.HealthBreaker.DeferredKills > 0, "kill deferred");
        Assert.Empty(agent.Received.OfType<KillTaskCommand>());

        // Two apps recover: one failing app in three is no longer a wave, and the held kill goes out.
        await agent.ReportHealthAsync(instances[1].TaskId!.Value, Passing() with { LastSuccess = T0.Plus(TimeSpan.FromMinutes(1)) });
        await agent.ReportHealthAsync(instances[2].TaskId!.Value, Passing() with { LastSuccess = T0.Plus(TimeSpan.FromMinutes(1)) });
        await cluster.WaitAsync(_ => agent.Received.OfType<KillTaskCommand>().Any(k => k.TaskId == instances[0].TaskId), "held kill sent");
        await cluster.WaitAsync(s => s.HealthBreaker.Mode == HealthBreakerMode.Closed, "breaker closed after the recovery period");

        var modes = (await DrainAsync(events)).OfType<HealthBreakerEvent>().Select(e => e.State.Mode).ToList();
        Assert.Equal([HealthBreakerMode.Open, HealthBreakerMode.Recovering, HealthBreakerMode.Closed], modes);
    }

    [Fact]
    public async Task Deploy_AppWithHealthChecks_FinishesOnlyOnceTheInstanceIsHealthy()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        var deployment = await cluster.DeployAsync(Checked("/web", 1));
        await cluster.WaitAsync(s => s.InstancesOf(PathId.Parse("/web")).Any(i => i.Condition == Condition.Running), "running");
        await cluster.WaitAsync(s => s.DeploymentReasons.TryGetValue((deployment.Plan.Id, PathId.Parse("/web")), out var r) && r.Type == "HealthPending", "waiting for health");
        var instance = cluster.InstancesOf("/web").Single();

        await agent.ReportHealthAsync(instance.TaskId!.Value, Failing(1) with { FirstSuccess = null, LastSuccess = null });
        await cluster.WaitAsync(s => s.DeploymentReasons.TryGetValue((deployment.Plan.Id, PathId.Parse("/web")), out var r) && r.Type == "HealthFailing"
            && r.Details["lastOutput"] == "500 Internal Server Error", "the failure is the reason");
        Assert.NotEmpty(cluster.Snapshot.Deployments);

        await agent.ReportHealthAsync(instance.TaskId!.Value, Passing() with { LastSuccess = T0.Plus(TimeSpan.FromMinutes(1)) });
        await cluster.WaitAsync(s => s.Deployments.IsEmpty && s.DeploymentReasons.IsEmpty, "deployment done");
    }

    private static Task DeployHealthyAsync(TestCluster cluster, FakeAgent agent, string id) => cluster.DeployHealthyAsync(agent, Checked(id, 1));

    private static async Task<List<ClusterEvent>> DrainAsync(Subscription subscription)
    {
        // Events are published right after the commit that made the state the test waited for.
        await Task.Delay(100);
        var list = new List<ClusterEvent>();
        while (subscription.Reader.TryRead(out var e))
        {
            list.Add(e.Event);
        }
        return list;
    }
}
