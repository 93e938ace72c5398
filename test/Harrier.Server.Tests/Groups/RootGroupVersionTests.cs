using Harrier.Core.Ids;
using Harrier.Server.Commands;
using Harrier.State;
using Xunit;

namespace Harrier.Server.Tests.Groups;

/// <summary>Every change of apps or groups stores the root group as it then is, in the change's own commit.</summary>
public sealed class RootGroupVersionTests
{
    [Fact]
    public async Task Deploy_ChangesApps_StoresTheRootVersionOfTheChange()
    {
        var store = new InMemoryClusterStore();
        await using var cluster = await TestCluster.StartAsync(store);
        // Versions are millisecond timestamps: changes are spaced so that each has its own (two changes within one
        // millisecond share a version, as in Marathon).
        var first = await cluster.DeployAsync(TestCluster.App("/shop/web", 0));
        await Task.Delay(5);
        var second = await cluster.DeployAsync(TestCluster.App("/shop/db", 0));
        await Task.Delay(5);
        await cluster.Orchestrator.ExecuteAsync<DeployResult>(new DeployAppsCommand([new AppChange(PathId.Parse("/shop/web"), null, Delete: true)], true), CancellationToken.None);

        var versions = await store.ListGroupVersionsAsync(CancellationToken.None);

        Assert.Equal(3, versions.Count);
        Assert.Equal(second.Plan.Version, versions[1]);
        var atSecond = await store.GetGroupVersionAsync(second.Plan.Version, CancellationToken.None);
        Assert.Equal(["/shop/db", "/shop/web"], atSecond!.Apps.Select(a => a.Id.Value));
        Assert.Equal(first.Apps[0].Version, atSecond.Apps.Single(a => a.Id.Value == "/shop/web").Version);
        Assert.Contains(atSecond.Groups, g => g.Id.Value == "/shop");
        var latest = await store.GetGroupVersionAsync(versions[0], CancellationToken.None);
        Assert.Equal(["/shop/db"], latest!.Apps.Select(a => a.Id.Value));
    }

    [Fact]
    public async Task DryRun_StoresNoRootVersion()
    {
        var store = new InMemoryClusterStore();
        await using var cluster = await TestCluster.StartAsync(store);
        var app = TestCluster.App("/dry", 0);
        await cluster.Orchestrator.ExecuteAsync<DeployResult>(new DeployAppsCommand([new AppChange(app.Id, app)], false, DryRun: true), CancellationToken.None);

        Assert.Empty(await store.ListGroupVersionsAsync(CancellationToken.None));
    }
}
