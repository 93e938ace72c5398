using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Health;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.Scheduling;
using Harrier.Server.Commands;
using Xunit;

namespace Harrier.Server.Tests.Deployments;

public sealed class HealthGatedDeploymentTests
{
    private static readonly PathId Web = PathId.Parse("/web");

    private static HealthCheckResult Passing() => new() { CheckIndex = 0, FirstSuccess = Timestamp.Zero, LastSuccess = Timestamp.Zero };

    private static Task<DeployResult> RestartAsync(TestCluster cluster) =>
        cluster.Orchestrator.ExecuteAsync<DeployResult>(new DeployAppsCommand([new AppChange(Web, null, Restart: true)], false), CancellationToken.None);

    [Fact]
    public async Task Restart_WithHealthChecks_KillsOldInstancesOnlyAsNewOnesBecomeHealthy()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        var app = TestCluster.App("/web", 2) with { HealthChecks = new[] { new HealthCheckSpec { IntervalSeconds = 1 } } };
        await cluster.DeployHealthyAsync(agent, app);
        var old = cluster.InstancesOf("/web").Select(i => i.Id).ToHashSet();

        await RestartAsync(cluster);

        // (1,1): capacity 4, minimum 2 healthy. Both new instances start, no old one may go while they are not healthy.
        await cluster.WaitAsync(s => s.InstancesOf(Web).Count(i => !old.Contains(i.Id) && i.Condition == Condition.Running) == 2, "two new running");
        await Task.Delay(300);
        Assert.All(cluster.InstancesOf("/web").Where(i => old.Contains(i.Id)), i => Assert.Equal(Goal.Running, i.Goal));
        var reason = cluster.Snapshot.DeploymentReasons.Values.Single();
        Assert.Equal("HealthPending", reason.Type);

        var first = cluster.InstancesOf("/web").First(i => !old.Contains(i.Id));
        await agent.ReportHealthAsync(first.TaskId!.Value, Passing());
        await cluster.WaitAsync(s => s.InstancesOf(Web).Count(i => old.Contains(i.Id)) == 1, "one old instance replaced");
        var second = cluster.InstancesOf("/web").First(i => !old.Contains(i.Id) && i.Id != first.Id);
        await agent.ReportHealthAsync(second.TaskId!.Value, Passing());
        await cluster.WaitAsync(s => s.Deployments.IsEmpty && s.InstancesOf(Web).All(i => !old.Contains(i.Id)), "restart done");
        Assert.Equal(2, cluster.InstancesOf("/web").Count);
    }

    [Fact]
    public async Task Restart_StrategyNeedingMoreRoomThanTheClusterHas_SaysItCannotComplete()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway, cpus: 0.3);
        await agent.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/web", 3) with { UpgradeStrategy = new UpgradeStrategy(1, 0) });
        await cluster.WaitForRunningAsync("/web", 3);

        var restart = await RestartAsync(cluster);

        await cluster.WaitAsync(
            s => s.DeploymentReasons.TryGetValue((restart.Plan.Id, Web), out var r) && r.Type == "CannotComplete",
            "the restart reported as unable to finish");
        var why = cluster.Snapshot.DeploymentReasons[(restart.Plan.Id, Web)].Details["why"];
        Assert.Contains("needs room for 4 instances of /web at once, but the cluster can hold 3", why, StringComparison.Ordinal);
        Assert.Equal(3, cluster.InstancesOf("/web").Count(i => i.Condition == Condition.Running));
    }

    [Fact]
    public async Task Update_InPlaceOptIn_LabelAndThresholdChangesKeepTheTasks()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        var labels = new ValueMap<string>(new Dictionary<string, string> { [AppChangeClassifier.InPlaceUpdateLabel] = "true" });
        var app = TestCluster.App("/web", 2) with { Labels = labels, HealthChecks = new[] { new HealthCheckSpec { MaxConsecutiveFailures = 3 } } };
        await cluster.DeployHealthyAsync(agent, app);
        var tasks = cluster.InstancesOf("/web").Select(i => i.TaskId).ToHashSet();

        var changed = app with
        {
            Labels = labels.SetItem("team", "blue"),
            HealthChecks = new[] { new HealthCheckSpec { MaxConsecutiveFailures = 5 } },
            UpgradeStrategy = new UpgradeStrategy(0.5, 0),
        };
        var result = await cluster.DeployAsync(changed);

        Assert.DoesNotContain(result.Plan.Steps.SelectMany(s => s.Actions), a => a.Kind == Core.Deployments.DeploymentActionKind.RestartApplication);
        await cluster.WaitAsync(s => s.Deployments.IsEmpty, "in-place deployment done");
        var version = cluster.Snapshot.Apps[Web].Version;
        Assert.All(cluster.InstancesOf("/web"), i => Assert.Equal(version, i.RunSpecVersion));
        Assert.Equal(tasks, cluster.InstancesOf("/web").Select(i => i.TaskId).ToHashSet());
        Assert.Empty(agent.Received.OfType<KillTaskCommand>());
        await cluster.WaitAsync(_ => agent.Received.OfType<UpdateTaskChecksCommand>().Count() == 2, "new thresholds sent to both tasks");
        Assert.All(agent.Received.OfType<UpdateTaskChecksCommand>(), u => Assert.Equal(5, u.HealthChecks.Single().Spec.MaxConsecutiveFailures));
    }

    [Fact]
    public async Task Update_LabelChangeWithoutOptIn_RestartsAsMarathonDoes()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        var app = TestCluster.App("/web", 1);
        await cluster.DeployAsync(app);
        await cluster.WaitForRunningAsync("/web", 1);

        var result = await cluster.DeployAsync(app with { Labels = new ValueMap<string>(new Dictionary<string, string> { ["team"] = "blue" }) });

        Assert.Contains(result.Plan.Steps.SelectMany(s => s.Actions), a => a.Kind == Core.Deployments.DeploymentActionKind.RestartApplication);
    }
}
