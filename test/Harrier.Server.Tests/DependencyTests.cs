using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Deployments;
using Harrier.Core.Ids;
using Harrier.Server.Commands;
using Xunit;

namespace Harrier.Server.Tests;

public sealed class DependencyTests
{
    private static AppChange Put(AppSpec app) => new(app.Id, app);

    [Fact]
    public async Task Deploy_DependentApps_StepsFollowTheDependencyChain_UnrelatedAppsIgnored()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/unrelated", 1));
        var db = TestCluster.App("/db", 1);
        var web = TestCluster.App("/web", 1) with { Dependencies = new[] { PathId.Parse("/db") } };
        var result = await cluster.Orchestrator.ExecuteAsync<DeployResult>(new DeployAppsCommand([Put(web), Put(db)], false), CancellationToken.None);
        var steps = result.Plan.Steps.Select(s => s.Actions.Select(a => (a.Kind, a.RunSpecId.Value)).ToList()).ToList();
        Assert.Equal([(DeploymentActionKind.StartApplication, "/db"), (DeploymentActionKind.StartApplication, "/web")], steps[0]);
        Assert.Equal([(DeploymentActionKind.ScaleApplication, "/db")], steps[1]);
        Assert.Equal([(DeploymentActionKind.ScaleApplication, "/web")], steps[2]);
        Assert.DoesNotContain(PathId.Parse("/unrelated"), result.Plan.AffectedRunSpecs);

        // Changing only /web plans /web alone, at its level in the chain.
        var update = await cluster.DeployAsync(web with { Cmd = "sleep 7" }, force: true);
        Assert.Equal(["/web"], update.Plan.AffectedRunSpecs.Select(i => i.Value));
        Assert.Equal(DeploymentActionKind.RestartApplication, update.Plan.Steps.Single().Actions.Single().Kind);
    }

    [Fact]
    public async Task Deploy_ChangeClosingACycleThroughAGroupDependency_Is422()
    {
        await using var cluster = await TestCluster.StartAsync();
        var a = TestCluster.App("/g/a", 0) with { Dependencies = new[] { PathId.Parse("/h") } };
        var b = TestCluster.App("/h/b", 0);
        await cluster.Orchestrator.ExecuteAsync<DeployResult>(new DeployAppsCommand([Put(a), Put(b)], false), CancellationToken.None);
        await cluster.WaitAsync(s => s.Deployments.Count == 0, "the first deployment");
        var error = await Assert.ThrowsAsync<CommandError>(() => cluster.DeployAsync(b with { Dependencies = new ValueList<PathId>([PathId.Parse("/g/a")]) }));
        Assert.Equal(422, error.Status);
        Assert.Equal("Dependency graph has cyclic dependencies.", error.Message);
        Assert.Empty(cluster.Snapshot.Apps[PathId.Parse("/h/b")].Dependencies);
    }

    [Fact]
    public async Task Maintainer_FinishedInstanceOutsideDeployments_IsRelaunchedUnderItsId()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway);
        await agent.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/keep", 2));
        await cluster.WaitForRunningAsync("/keep", 2);
        var victim = cluster.InstancesOf("/keep")[0];
        await agent.ReportAsync(victim.TaskId!.Value, Harrier.Core.Instances.TaskState.Finished);
        await cluster.WaitAsync(s => s.Instances.TryGetValue(victim.Id, out var i) && i.Incarnation == 2, "the finished instance relaunched under its id");
        await cluster.WaitForRunningAsync("/keep", 2);
    }
}
