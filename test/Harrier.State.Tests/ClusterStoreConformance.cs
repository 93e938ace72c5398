using System.Collections.Immutable;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Xunit;

namespace Harrier.State.Tests;

/// <summary>
/// What every <see cref="IClusterStore"/> provider must do. A provider's test class derives from this and says how
/// to open a store at the test's location (xunit makes a new instance, so a new location, per test), how to reopen
/// it after disposal, and how to make a commit fail after a given number of written rows.
/// </summary>
public abstract class ClusterStoreConformance : IAsyncLifetime
{
    private readonly List<IClusterStore> _opened = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the store at this test's location (creating it when new).</summary>
    protected abstract Task<IClusterStore> OpenCoreAsync(int maxVersions);

    /// <summary>Opens the same location again after <paramref name="disposed"/> was disposed.</summary>
    protected abstract Task<IClusterStore> ReopenCoreAsync(IClusterStore disposed, int maxVersions);

    /// <summary>Makes the store's commits throw after <paramref name="rows"/> rows were written (null: never).</summary>
    protected abstract void FailAfterRows(IClusterStore store, int? rows);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    protected async Task<IClusterStore> OpenAsync(int maxVersions = 50)
    {
        var store = await OpenCoreAsync(maxVersions);
        _opened.Add(store);
        return store;
    }

    protected async Task<IClusterStore> ReopenAsync(IClusterStore store, int maxVersions = 50)
    {
        await store.DisposeAsync();
        var reopened = await ReopenCoreAsync(store, maxVersions);
        _opened.Add(reopened);
        return reopened;
    }

    [Fact]
    public async Task LoadAsync_NewStore_IsEmpty()
    {
        var store = await OpenAsync();
        var data = await store.LoadAsync(Ct);
        Assert.Equal(0, Count(data));
    }

    [Fact]
    public async Task CommitAsync_PutEachEntity_LoadReturnsThem()
    {
        var store = await OpenAsync();
        var change = Everything("a");
        await store.CommitAsync(change, Ct);
        var data = await store.LoadAsync(Ct);
        AssertHolds(data, change);
    }

    [Fact]
    public async Task LoadAsync_ManyRecords_EachKindSortedById()
    {
        var store = await OpenAsync();
        string[] keys = ["b", "a", "c-1", "c", "B", "aa"];
        foreach (var key in keys)
        {
            await store.CommitAsync(Everything(key), Ct);
        }
        var data = await store.LoadAsync(Ct);
        var sorted = keys.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(sorted.Select(k => $"/app-{k}"), data.Apps.Select(a => a.Id.Value));
        Assert.Equal(sorted.Select(k => $"/group-{k}"), data.Groups.Select(g => g.Id.Value));
        Assert.Equal(sorted.Select(k => $"instance-{k}"), data.Instances.Select(i => i.Id.Value));
        Assert.Equal(sorted.Select(k => $"deployment-{k}"), data.Deployments.Select(d => d.Id.Value));
        Assert.Equal(sorted.Select(k => $"agent-{k}"), data.Agents.Select(a => a.Id.Value));
    }

    [Fact]
    public async Task CommitAsync_PutExistingKeys_ReplacesRecords()
    {
        var store = await OpenAsync();
        await store.CommitAsync(new StateChange { PutInstances = [TestData.Instance("i1", message: "old")], PutAgents = [TestData.Agent("a1", "old")] }, Ct);
        await store.CommitAsync(new StateChange { PutInstances = [TestData.Instance("i1", message: "new")], PutAgents = [TestData.Agent("a1", "new")] }, Ct);
        var data = await store.LoadAsync(Ct);
        Assert.Equal("new", Assert.Single(data.Instances).Message);
        Assert.Equal("new", Assert.Single(data.Agents).Hostname);
    }

    [Fact]
    public async Task CommitAsync_SameKeyPutTwiceInOneChange_LastPutWins()
    {
        var store = await OpenAsync();
        await store.CommitAsync(new StateChange { PutInstances = [TestData.Instance("i1", message: "first"), TestData.Instance("i1", message: "second")] }, Ct);
        Assert.Equal("second", Assert.Single((await store.LoadAsync(Ct)).Instances).Message);
    }

    [Fact]
    public async Task CommitAsync_DeleteEachEntity_LoadOmitsThem()
    {
        var store = await OpenAsync();
        await store.CommitAsync(Everything("a").Then(Everything("b")), Ct);
        await store.CommitAsync(Deletes("a"), Ct);
        var data = await store.LoadAsync(Ct);
        AssertHolds(data, Everything("b"));
    }

    [Fact]
    public async Task CommitAsync_DeleteMissingKeys_IsNoOp()
    {
        var store = await OpenAsync();
        await store.CommitAsync(Everything("a"), Ct);
        await store.CommitAsync(Deletes("missing"), Ct);
        AssertHolds(await store.LoadAsync(Ct), Everything("a"));
    }

    [Fact]
    public async Task CommitAsync_PutAndDeleteSameKeyInOneChange_DeleteWins()
    {
        var store = await OpenAsync();
        await store.CommitAsync(Everything("a").Then(Deletes("a")), Ct);
        Assert.Equal(0, Count(await store.LoadAsync(Ct)));
    }

    [Fact]
    public async Task CommitAsync_EmptyChange_ChangesNothing()
    {
        var store = await OpenAsync();
        await store.CommitAsync(Everything("a"), Ct);
        await store.CommitAsync(new StateChange(), Ct);
        AssertHolds(await store.LoadAsync(Ct), Everything("a"));
    }

    [Fact]
    public async Task CommitAsync_FailureAfterAnyRow_LeavesNothingOfTheChange()
    {
        var store = await OpenAsync(maxVersions: 2);
        var before = Everything("a").Then(new StateChange { PutApps = [TestData.App("/app-b", 1), TestData.App("/app-b", 2)] });
        await store.CommitAsync(before, Ct);
        var expected = await store.LoadAsync(Ct);
        var expectedVersions = await store.ListAppVersionsAsync(PathId.Parse("/app-b"), Ct);
        // 13 rows: 6 puts (two of /app-b), 5 deletes, 2 app versions; fail after each of the first 12.
        var change = Everything("b").Then(new StateChange { PutApps = [TestData.App("/app-b", 3)] }).Then(Deletes("a"));
        for (var rows = 0; rows < 13; rows++)
        {
            FailAfterRows(store, rows);
            await Assert.ThrowsAnyAsync<Exception>(() => store.CommitAsync(change, Ct));
            var after = await store.LoadAsync(Ct);
            AssertSame(expected, after, $"failure after {rows} rows");
            Assert.Equal(expectedVersions, await store.ListAppVersionsAsync(PathId.Parse("/app-b"), Ct));
        }
        FailAfterRows(store, null);
        await store.CommitAsync(change, Ct);
        // Versions 1000 (from Everything) and 3 are the newest two; 1 and 2 were pruned.
        Assert.Equal([new Timestamp(1000), new Timestamp(3)], await store.ListAppVersionsAsync(PathId.Parse("/app-b"), Ct));
        AssertHolds(await store.LoadAsync(Ct), Everything("b").Then(new StateChange { PutApps = [TestData.App("/app-b", 3)] }) with
        {
            PutApps = [TestData.App("/app-b", 3)],
        });
    }

    [Fact]
    public async Task CommitAsync_LargeChange_FailingInsideIt_AppliesNothing_ThenAppliesWhole()
    {
        // 200 puts and 30 deletes: several bulk writes, a partial one, and deletes after them.
        var store = await OpenAsync();
        var existing = Enumerable.Range(0, 30).Select(i => TestData.Instance($"/app.instance-old-{i:D3}")).ToList();
        await store.CommitAsync(new StateChange { PutInstances = [.. existing] }, Ct);
        var change = new StateChange
        {
            PutInstances = [.. Enumerable.Range(0, 200).Select(i => TestData.Instance($"/app.instance-new-{i:D3}", message: $"m{i}"))],
            DeleteInstances = [.. existing.Select(i => i.Id)],
        };
        foreach (var rows in new[] { 0, 63, 64, 100, 199, 215 })
        {
            FailAfterRows(store, rows);
            await Assert.ThrowsAnyAsync<Exception>(() => store.CommitAsync(change, Ct));
            var after = await store.LoadAsync(Ct);
            Assert.Equal(existing.Select(i => i.Id.Value).Order(StringComparer.Ordinal), after.Instances.Select(i => i.Id.Value).Order(StringComparer.Ordinal));
        }
        FailAfterRows(store, null);
        await store.CommitAsync(change, Ct);
        var stored = (await ReopenAsync(store)).LoadAsync(Ct);
        Assert.Equal(change.PutInstances.OrderBy(i => i.Id.Value, StringComparer.Ordinal), (await stored).Instances.OrderBy(i => i.Id.Value, StringComparer.Ordinal));
    }

    [Fact]
    public async Task CommitAsync_CancelledBeforeStart_ThrowsAndAppliesNothing()
    {
        var store = await OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CommitAsync(Everything("a"), cancelled.Token));
        Assert.Equal(0, Count(await store.LoadAsync(Ct)));
    }

    [Fact]
    public async Task CommitAsync_PutApp_StoresItsVersion()
    {
        var store = await OpenAsync();
        var app = TestData.App("/web", version: 1234);
        await store.CommitAsync(new StateChange { PutApps = [app] }, Ct);
        Assert.Equal([new Timestamp(1234)], await store.ListAppVersionsAsync(app.Id, Ct));
        Assert.Equal(app, await store.GetAppVersionAsync(app.Id, new Timestamp(1234), Ct));
        Assert.Null(await store.GetAppVersionAsync(app.Id, new Timestamp(999), Ct));
    }

    [Fact]
    public async Task CommitAsync_MoreVersionsThanMax_PrunesOldestAndListsNewestFirst()
    {
        var store = await OpenAsync(maxVersions: 3);
        // Out of order on purpose: pruning is by version time, not by insertion order.
        foreach (var version in new long[] { 30, 10, 50, 20, 40 })
        {
            await store.CommitAsync(new StateChange { PutApps = [TestData.App("/web", version)] }, Ct);
        }
        var id = PathId.Parse("/web");
        Assert.Equal([new Timestamp(50), new Timestamp(40), new Timestamp(30)], await store.ListAppVersionsAsync(id, Ct));
        Assert.Null(await store.GetAppVersionAsync(id, new Timestamp(20), Ct));
        Assert.Equal(40, (await store.GetAppVersionAsync(id, new Timestamp(40), Ct))!.Version.UnixMilliseconds);
        // The current record is the last put, whatever its version.
        Assert.Equal(40, Assert.Single((await store.LoadAsync(Ct)).Apps).Version.UnixMilliseconds);
    }

    [Fact]
    public async Task CommitAsync_PruningOneApp_LeavesOtherAppsVersions()
    {
        var store = await OpenAsync(maxVersions: 1);
        await store.CommitAsync(new StateChange { PutApps = [TestData.App("/a", 1), TestData.App("/b", 1)] }, Ct);
        await store.CommitAsync(new StateChange { PutApps = [TestData.App("/a", 2)] }, Ct);
        Assert.Equal([new Timestamp(2)], await store.ListAppVersionsAsync(PathId.Parse("/a"), Ct));
        Assert.Equal([new Timestamp(1)], await store.ListAppVersionsAsync(PathId.Parse("/b"), Ct));
    }

    [Fact]
    public async Task CommitAsync_DeleteApp_KeepsVersionsAndRecreatedAppListsBoth()
    {
        var store = await OpenAsync();
        var id = PathId.Parse("/web");
        await store.CommitAsync(new StateChange { PutApps = [TestData.App("/web", 100)] }, Ct);
        await store.CommitAsync(new StateChange { DeleteApps = [id] }, Ct);
        Assert.Empty((await store.LoadAsync(Ct)).Apps);
        Assert.Equal([new Timestamp(100)], await store.ListAppVersionsAsync(id, Ct));
        await store.CommitAsync(new StateChange { PutApps = [TestData.App("/web", 200)] }, Ct);
        Assert.Equal([new Timestamp(200), new Timestamp(100)], await store.ListAppVersionsAsync(id, Ct));
    }

    [Fact]
    public async Task CommitAsync_PutGroupVersion_StoredWithTheChangeAndReadBack()
    {
        var store = await OpenAsync();
        var root = TestData.RootVersion(100, groups: ["/", "/prod"], apps: [("/prod/web", 90)]);
        await store.CommitAsync(new StateChange { PutApps = [TestData.App("/prod/web", 90)], PutGroupVersions = [root] }, Ct);
        Assert.Equal([new Timestamp(100)], await store.ListGroupVersionsAsync(Ct));
        Assert.Equal(root, await store.GetGroupVersionAsync(new Timestamp(100), Ct));
        Assert.Null(await store.GetGroupVersionAsync(new Timestamp(99), Ct));
        var reopened = await ReopenAsync(store);
        Assert.Equal(root, await reopened.GetGroupVersionAsync(new Timestamp(100), Ct));
    }

    [Fact]
    public async Task CommitAsync_MoreGroupVersionsThanMax_PrunesOldestAndListsNewestFirst()
    {
        var store = await OpenAsync(maxVersions: 3);
        foreach (var version in new long[] { 30, 10, 50, 20, 40 })
        {
            await store.CommitAsync(new StateChange { PutGroupVersions = [TestData.RootVersion(version)] }, Ct);
        }
        Assert.Equal([new Timestamp(50), new Timestamp(40), new Timestamp(30)], await store.ListGroupVersionsAsync(Ct));
        Assert.Null(await store.GetGroupVersionAsync(new Timestamp(20), Ct));
        Assert.Equal(new Timestamp(40), (await store.GetGroupVersionAsync(new Timestamp(40), Ct))!.Version);
    }

    [Fact]
    public async Task CommitAsync_FailureAtTheGroupVersion_LeavesNothingOfTheChange()
    {
        var store = await OpenAsync();
        // 2 rows (app, app version) then the group version: fail after 0, 1 and 2 rows.
        var change = new StateChange { PutApps = [TestData.App("/web", 5)], PutGroupVersions = [TestData.RootVersion(5, apps: [("/web", 5)])] };
        for (var rows = 0; rows < 3; rows++)
        {
            FailAfterRows(store, rows);
            await Assert.ThrowsAnyAsync<Exception>(() => store.CommitAsync(change, Ct));
            Assert.Empty(await store.ListGroupVersionsAsync(Ct));
            Assert.Empty((await store.LoadAsync(Ct)).Apps);
        }
        FailAfterRows(store, null);
        await store.CommitAsync(change, Ct);
        Assert.Equal([new Timestamp(5)], await store.ListGroupVersionsAsync(Ct));
    }

    [Fact]
    public async Task ListGroupVersionsAsync_NewStore_IsEmpty()
    {
        var store = await OpenAsync();
        Assert.Empty(await store.ListGroupVersionsAsync(Ct));
        Assert.Null(await store.GetGroupVersionAsync(new Timestamp(1), Ct));
    }

    [Fact]
    public async Task ListAppVersionsAsync_UnknownApp_IsEmpty()
    {
        var store = await OpenAsync();
        Assert.Empty(await store.ListAppVersionsAsync(PathId.Parse("/nope"), Ct));
        Assert.Null(await store.GetAppVersionAsync(PathId.Parse("/nope"), new Timestamp(1), Ct));
    }

    [Fact]
    public async Task ReopenAfterDispose_SeesEverythingCommitted()
    {
        var store = await OpenAsync();
        var change = Everything("a").Then(Everything("b")).Then(new StateChange { PutApps = [TestData.App("/app-a", 2000)] });
        await store.CommitAsync(change, Ct);
        await store.CommitAsync(Deletes("b"), Ct);
        var before = await store.LoadAsync(Ct);
        var reopened = await ReopenAsync(store);
        AssertSame(before, await reopened.LoadAsync(Ct), "after reopen");
        Assert.Equal([new Timestamp(2000), new Timestamp(1000)], await reopened.ListAppVersionsAsync(PathId.Parse("/app-a"), Ct));
        Assert.Equal([new Timestamp(1000)], await reopened.ListAppVersionsAsync(PathId.Parse("/app-b"), Ct));
    }

    [Fact]
    public async Task CommitAsync_AfterDispose_Throws()
    {
        var store = await OpenAsync();
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CommitAsync(Everything("a"), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.LoadAsync(Ct));
    }

    [Fact]
    public async Task CommitAsync_RandomRecords_LoadReturnsThemExactly()
    {
        var seed = Environment.TickCount;
        var random = new RandomState(seed);
        var store = await OpenAsync();
        var change = new StateChange
        {
            PutApps = [.. Enumerable.Range(0, 20).Select(i => random.App(PathId.Parse($"/r/app{i}")))],
            PutInstances = [.. Enumerable.Range(0, 20).Select(i => random.Instance() with { Id = new InstanceId($"inst{i}") })],
            PutDeployments = [.. Enumerable.Range(0, 5).Select(i => random.Deployment() with { Id = new DeploymentId($"d{i}") })],
            PutGroups = [.. Enumerable.Range(0, 5).Select(i => random.Group() with { Id = PathId.Parse($"/g{i}") })],
            PutAgents = [.. Enumerable.Range(0, 5).Select(i => random.Agent() with { Id = new AgentId($"agent{i}") })],
        };
        await store.CommitAsync(change, Ct);
        var data = await store.LoadAsync(Ct);
        Assert.True(data.Apps.ToHashSet().SetEquals(change.PutApps), $"apps differ, seed {seed}");
        Assert.True(data.Instances.ToHashSet().SetEquals(change.PutInstances), $"instances differ, seed {seed}");
        Assert.True(data.Deployments.ToHashSet().SetEquals(change.PutDeployments), $"deployments differ, seed {seed}");
        Assert.True(data.Groups.ToHashSet().SetEquals(change.PutGroups), $"groups differ, seed {seed}");
        Assert.True(data.Agents.ToHashSet().SetEquals(change.PutAgents), $"agents differ, seed {seed}");
    }

    [Fact]
    public async Task CommitAsync_ConcurrentCommits_AllApplied()
    {
        var store = await OpenAsync();
        const int Writers = 6, Commits = 20;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var c = 0; c < Commits; c++)
            {
                await store.CommitAsync(new StateChange
                {
                    PutInstances = [TestData.Instance($"w{w}-c{c}")],
                    PutApps = [TestData.App($"/w{w}", version: c + 1)],
                }, Ct);
            }
        }, Ct)));
        var data = await store.LoadAsync(Ct);
        Assert.Equal(Writers * Commits, data.Instances.Length);
        Assert.All(data.Apps, a => Assert.Equal(Commits, a.Version.UnixMilliseconds));
        Assert.Equal(Commits, (await store.ListAppVersionsAsync(PathId.Parse("/w0"), Ct)).Count);
    }

    [Fact]
    public async Task LoadAsync_DuringCommits_SeesOnlyWholeChanges()
    {
        var store = await OpenAsync();
        const int Commits = 60;
        var writer = Task.Run(async () =>
        {
            for (var seq = 1; seq <= Commits; seq++)
            {
                await store.CommitAsync(Generations.Change(seq), Ct);
            }
        }, Ct);
        var loads = 0;
        while (!writer.IsCompleted || loads == 0)
        {
            var data = await store.LoadAsync(Ct);
            Generations.AssertWhole(data);
            loads++;
        }
        await writer;
        Generations.AssertWhole(await store.LoadAsync(Ct), expected: Commits);
    }

    private static StateChange Everything(string key) => new()
    {
        PutApps = [TestData.App($"/app-{key}")],
        PutGroups = [TestData.Group($"/group-{key}")],
        PutInstances = [TestData.Instance($"instance-{key}")],
        PutDeployments = [TestData.Deployment($"deployment-{key}")],
        PutAgents = [TestData.Agent($"agent-{key}")],
    };

    private static StateChange Deletes(string key) => new()
    {
        DeleteApps = [PathId.Parse($"/app-{key}")],
        DeleteGroups = [PathId.Parse($"/group-{key}")],
        DeleteInstances = [new InstanceId($"instance-{key}")],
        DeleteDeployments = [new DeploymentId($"deployment-{key}")],
        DeleteAgents = [new AgentId($"agent-{key}")],
    };

    private static int Count(ClusterData d) =>
        d.Apps.Length + d.Groups.Length + d.Instances.Length + d.Deployments.Length + d.Agents.Length;

    private static void AssertHolds(ClusterData data, StateChange puts)
    {
        Assert.Equal(puts.PutApps.OrderBy(a => a.Id), data.Apps.OrderBy(a => a.Id));
        Assert.Equal(puts.PutGroups.OrderBy(g => g.Id), data.Groups.OrderBy(g => g.Id));
        Assert.Equal(puts.PutInstances.OrderBy(i => i.Id.Value, StringComparer.Ordinal), data.Instances.OrderBy(i => i.Id.Value, StringComparer.Ordinal));
        Assert.Equal(puts.PutDeployments.OrderBy(d => d.Id.Value, StringComparer.Ordinal), data.Deployments.OrderBy(d => d.Id.Value, StringComparer.Ordinal));
        Assert.Equal(puts.PutAgents.OrderBy(a => a.Id.Value, StringComparer.Ordinal), data.Agents.OrderBy(a => a.Id.Value, StringComparer.Ordinal));
    }

    private static void AssertSame(ClusterData expected, ClusterData actual, string when)
    {
        Assert.True(expected.Apps.SequenceEqual(actual.Apps), $"apps differ {when}");
        Assert.True(expected.Groups.SequenceEqual(actual.Groups), $"groups differ {when}");
        Assert.True(expected.Instances.SequenceEqual(actual.Instances), $"instances differ {when}");
        Assert.True(expected.Deployments.SequenceEqual(actual.Deployments), $"deployments differ {when}");
        Assert.True(expected.Agents.SequenceEqual(actual.Agents), $"agents differ {when}");
    }
}
