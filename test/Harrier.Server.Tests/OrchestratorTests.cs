using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Server.Commands;
using Harrier.State;
using Xunit;

namespace Harrier.Server.Tests;

public sealed class OrchestratorTests
{
    [Fact]
    public async Task Deploy_NewApp_LaunchesInstancesAndFinishesDeployment()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        var result = await cluster.DeployAsync(TestCluster.App("/web", 3));
        Assert.Equal(10000, result.Apps[0].PortDefinitions[0].Port);
        Assert.Equal([DeploymentActionKind.StartApplication], result.Plan.Steps[0].Actions.Select(a => a.Kind));
        Assert.Equal([DeploymentActionKind.ScaleApplication], result.Plan.Steps[1].Actions.Select(a => a.Kind));
        await cluster.WaitForRunningAsync("/web", 3);
        Assert.Equal(3, agent.Live.Count());
        Assert.All(cluster.InstancesOf("/web"), i => Assert.Equal(1, i.Incarnation));
    }

    [Fact]
    public async Task Deploy_LockedAppWithoutForce_Is409WithTheDeployment()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway) { HoldLaunches = true };
        await agent.StartAsync();
        var first = await cluster.DeployAsync(TestCluster.App("/locked", 2));
        var error = await Assert.ThrowsAsync<CommandError>(() => cluster.DeployAsync(TestCluster.App("/locked", 3)));
        Assert.Equal(409, error.Status);
        Assert.Equal([first.Plan.Id], error.Deployments);
        Assert.StartsWith("App is locked by one or more deployments. Override with the option '?force=true'.", error.Message, StringComparison.Ordinal);

        var forced = await cluster.DeployAsync(TestCluster.App("/locked", 3), force: true);
        Assert.DoesNotContain(cluster.Snapshot.Deployments, d => d.Id == first.Plan.Id);
        agent.HoldLaunches = false;
        await agent.ReleaseAll();
        await cluster.WaitForRunningAsync("/locked", 3);
        Assert.NotEqual(first.Plan.Id, forced.Plan.Id);
    }

    [Fact]
    public async Task Restart_WhileRestartRuns_ScaleIsRefusedAsLocked()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/r", 2));
        await cluster.WaitForRunningAsync("/r", 2);
        agent.HoldLaunches = true;
        var restart = await cluster.Orchestrator.ExecuteAsync<DeployResult>(new DeployAppsCommand([new AppChange(PathId.Parse("/r"), null, Restart: true)], false), CancellationToken.None);
        Assert.Equal(DeploymentActionKind.RestartApplication, restart.Plan.Steps.Single().Actions.Single().Kind);
        var app = cluster.Snapshot.Apps[PathId.Parse("/r")];
        var error = await Assert.ThrowsAsync<CommandError>(() => cluster.DeployAsync(app with { Instances = 5 }));
        Assert.Equal(409, error.Status);
        agent.HoldLaunches = false;
        await agent.ReleaseAll();
        await cluster.WaitForRunningAsync("/r", 2);
    }

    [Fact]
    public async Task RollingRestart_OneZeroStrategy_NeverBelowNorAboveBounds()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        var app = TestCluster.App("/roll", 3) with { UpgradeStrategy = new UpgradeStrategy(1.0, 0.0) };
        await cluster.DeployAsync(app);
        await cluster.WaitForRunningAsync("/roll", 3);

        var minRunning = int.MaxValue;
        var maxAlive = 0;
        using var watch = new CancellationTokenSource();
        var observer = Task.Run(async () =>
        {
            while (!watch.IsCancellationRequested)
            {
                var instances = cluster.Snapshot.InstancesOf(app.Id).ToList();
                minRunning = Math.Min(minRunning, instances.Count(i => i.Condition == Condition.Running && i.Goal == Goal.Running));
                maxAlive = Math.Max(maxAlive, instances.Count(i => i.Condition.IsActive() || i.Condition == Condition.Scheduled));
                await Task.Delay(1);
            }
        });
        var before = cluster.InstancesOf("/roll").Select(i => i.Id).ToHashSet();
        await cluster.DeployAsync(app with { Cmd = "sleep 3601" });
        await cluster.WaitAsync(s => s.Deployments.Count == 0 && s.InstancesOf(app.Id).Count() == 3 && !s.InstancesOf(app.Id).Any(i => before.Contains(i.Id)), "the restart to finish");
        await watch.CancelAsync();
        await observer;
        // (1, 0) with N=3: minHealthy 3, capacity 3+1 (Marathon's over-capacity special case).
        Assert.True(minRunning >= 3, $"running dropped to {minRunning}");
        Assert.True(maxAlive <= 4, $"{maxAlive} instances alive at once");
        Assert.Equal(3, agent.Live.Count());
    }

    [Fact]
    public async Task RollingRestart_ZeroZeroSingleInstance_KillsOldBeforeStartingNew()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        var app = TestCluster.App("/single", 1) with { UpgradeStrategy = new UpgradeStrategy(0, 0) };
        await cluster.DeployAsync(app);
        await cluster.WaitForRunningAsync("/single", 1);
        var old = agent.Live.Single();
        agent.Received.Clear();
        await cluster.DeployAsync(app with { Cmd = "sleep 42" });
        await cluster.WaitAsync(s => s.Deployments.Count == 0, "restart done");
        var commands = agent.Received.ToList();
        var kill = commands.FindIndex(c => c is KillTaskCommand k && k.TaskId == old);
        var launch = commands.FindIndex(c => c is LaunchTaskCommand);
        Assert.True(kill >= 0 && launch > kill, "the old task is killed before the new one launches");
    }

    [Fact]
    public async Task KillWithoutScale_RelaunchesSameInstanceNextIncarnation_NoBackoff()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/k", 1));
        await cluster.WaitForRunningAsync("/k", 1);
        var instance = cluster.InstancesOf("/k").Single();
        await cluster.Orchestrator.ExecuteAsync(new KillInstancesCommand([instance.Id], Wipe: false), CancellationToken.None);
        await cluster.WaitAsync(s => s.Instances.TryGetValue(instance.Id, out var i) && i.Incarnation == 2 && i.Condition == Condition.Running, "relaunch");
        Assert.False(cluster.Snapshot.Delays.ContainsKey(instance.RunSpecId));
    }

    [Fact]
    public async Task Wipe_DecommissionsAndExpunges_ThenScaleCheckReplaces()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/w", 1));
        await cluster.WaitForRunningAsync("/w", 1);
        var instance = cluster.InstancesOf("/w").Single();
        await cluster.Orchestrator.ExecuteAsync(new KillInstancesCommand([instance.Id], Wipe: true), CancellationToken.None);
        await cluster.WaitAsync(s => !s.Instances.ContainsKey(instance.Id) && s.InstancesOf(instance.RunSpecId).Count(i => i.Condition == Condition.Running) == 1, "replacement of the wiped instance");
    }

    [Fact]
    public async Task TaskFailure_GrowsBackoffForTheConfig_RelaunchWaits()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        var app = TestCluster.App("/flaky", 1) with { BackoffSeconds = 30, BackoffFactor = 2 };
        await cluster.DeployAsync(app);
        await cluster.WaitForRunningAsync("/flaky", 1);
        var task = agent.Live.Single();
        await agent.ReportAsync(task, TaskState.Failed, "Command exited with status 1");
        await cluster.WaitAsync(s => s.Delays.ContainsKey(app.Id), "a launch delay");
        var delay = cluster.Snapshot.Delays[app.Id].Delay;
        Assert.Equal(TimeSpan.FromSeconds(30), delay.Delay);
        var instance = cluster.InstancesOf("/flaky").Single();
        Assert.Equal(Condition.Scheduled, instance.Condition);
        Assert.Equal("TASK_FAILED", cluster.Snapshot.LastFailures[app.Id].State);
        await Task.Delay(200);
        Assert.Equal(Condition.Scheduled, cluster.InstancesOf("/flaky").Single().Condition);
        await cluster.Orchestrator.ExecuteAsync(new ResetDelayCommand(app.Id), CancellationToken.None);
        await cluster.WaitForRunningAsync("/flaky", 1);
    }

    [Fact]
    public async Task StatusForUnknownTask_OrphanKilledOnceItsGraceIsOver()
    {
        await using var cluster = await TestCluster.StartAsync(options: new ServerOptions { ReconcileInterval = TimeSpan.FromMilliseconds(20), OrphanGracePeriod = TimeSpan.Zero });
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        var stray = InstanceId.For(PathId.Parse("/ghost"), Guid.NewGuid()).TaskFor(1);
        await agent.ReportAsync(stray, TaskState.Running);
        await Harrier.Testing.Eventually.TrueAsync(() => agent.Received.OfType<KillTaskCommand>().Any(k => k.TaskId == stray), TimeSpan.FromSeconds(5), "a kill for the stray task");
    }

    [Fact]
    public async Task ServerRestart_SameStore_ReadoptsReportedTasksAndReplacesMissingOnes()
    {
        var store = new InMemoryClusterStore();
        List<TaskReport> reports;
        TaskId lost;
        await using (var cluster = await TestCluster.StartAsync(store))
        {
            await using var agent = new FakeAgent(cluster.Gateway);
            await agent.StartAsync();
            await cluster.DeployAsync(TestCluster.App("/durable", 3));
            await cluster.WaitForRunningAsync("/durable", 3);
            var live = agent.Live.ToList();
            lost = live[0];
            reports = [.. live.Skip(1).Select(t => new TaskReport(t, TaskState.Running))];
        }
        await using var restarted = await TestCluster.StartAsync(store);
        Assert.Equal(3, restarted.InstancesOf("/durable").Count);
        await using var agent2 = new FakeAgent(restarted.Gateway);
        await agent2.StartAsync(reports);
        await restarted.WaitForRunningAsync("/durable", 3);
        var tasks = restarted.InstancesOf("/durable").Select(i => i.TaskId!.Value).ToHashSet();
        Assert.Superset(reports.Select(r => r.TaskId).ToHashSet(), tasks);
        Assert.DoesNotContain(lost, tasks);
        Assert.Empty(agent2.Received.OfType<KillTaskCommand>());
    }

    [Fact]
    public async Task RegisteredAgent_WithOldProtocolVersion_IsRefused()
    {
        await using var cluster = await TestCluster.StartAsync();
        var agent = new FakeAgent(cluster.Gateway);
        var response = await cluster.Gateway.RegisterAsync(new RegisterAgentRequest(ProtocolVersion.Current + 1, agent.Info, default), CancellationToken.None);
        Assert.False(response.Accepted);
        Assert.Contains("protocol version", response.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_StopsEveryInstance_AndAnswers404Afterwards()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/gone", 2));
        await cluster.WaitForRunningAsync("/gone", 2);
        var result = await cluster.Orchestrator.ExecuteAsync<DeployResult>(new DeployAppsCommand([new AppChange(PathId.Parse("/gone"), null, Delete: true)], true), CancellationToken.None);
        Assert.Equal(DeploymentActionKind.StopApplication, result.Plan.Steps.Single().Actions.Single().Kind);
        await cluster.WaitAsync(s => !s.InstancesOf(PathId.Parse("/gone")).Any() && s.Deployments.Count == 0, "all instances gone");
        Assert.Empty(agent.Live);
        var error = await Assert.ThrowsAsync<CommandError>(() => cluster.Orchestrator.ExecuteAsync(new DeployAppsCommand([new AppChange(PathId.Parse("/gone"), null, Delete: true)], true), CancellationToken.None));
        Assert.Equal(404, error.Status);
        Assert.Equal("App '/gone' does not exist", error.Message);
    }
}
