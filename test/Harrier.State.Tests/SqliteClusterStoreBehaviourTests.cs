using Harrier.Core.Ids;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Harrier.State.Tests;

/// <summary>SQLite-specific behaviour beyond the conformance suite: file layout, durability settings, DI.</summary>
public sealed class SqliteClusterStoreBehaviourTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenAsync_SchemaOneDatabase_AddsGroupVersionsAndRecordsSchemaTwo()
    {
        var dataDir = Path.Combine(_dir.Path, "old");
        await using (var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = dataDir }, Ct))
        {
            await store.CommitAsync(new StateChange { PutApps = [TestData.App("/a")] }, Ct);
        }
        using (var connection = OpenRaw(dataDir))
        {
            // What a schema-1 build left: no group_versions table, schema 1 in meta.
            Scalar(connection, "DROP TABLE group_versions");
            Scalar(connection, "UPDATE meta SET value = '1' WHERE key = 'schema'");
        }

        await using (var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = dataDir }, Ct))
        {
            Assert.Single((await store.LoadAsync(Ct)).Apps);
            await store.CommitAsync(new StateChange { PutGroupVersions = [TestData.RootVersion(7)] }, Ct);
            Assert.Equal([new Core.Time.Timestamp(7)], await store.ListGroupVersionsAsync(Ct));
        }
        using var raw = OpenRaw(dataDir);
        Assert.Equal("2", Scalar(raw, "SELECT value FROM meta WHERE key = 'schema'"));
    }

    [Fact]
    public async Task OpenAsync_NewDataDir_CreatesWalDatabaseWithOneTablePerEntity()
    {
        var dataDir = Path.Combine(_dir.Path, "nested", "data");
        await using (var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = dataDir }, Ct))
        {
            await store.CommitAsync(new StateChange { PutApps = [TestData.App("/a")] }, Ct);
        }
        using var connection = OpenRaw(dataDir);
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        var tables = Scalar(connection, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)");
        Assert.Equal("agents,app_versions,apps,deployments,group_versions,groups,instances,meta", tables);
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM app_versions WHERE id = '/a' AND version = 1000"));
    }

    [Fact]
    public async Task OpenAsync_DatabaseFromNewerSchema_Throws()
    {
        await (await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct)).DisposeAsync();
        using (var connection = OpenRaw(_dir.Path))
        {
            Scalar(connection, "UPDATE meta SET value = '99' WHERE key = 'schema'");
        }
        var error = await Assert.ThrowsAsync<StateStoreException>(() => SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct));
        Assert.Contains("schema 99", error.Message);
    }

    [Fact]
    public async Task OpenAsync_DirInUseByAnotherStore_ThrowsUntilItIsDisposed()
    {
        var options = new StateOptions { DataDir = _dir.Path };
        var first = await SqliteClusterStore.OpenAsync(options, Ct);
        var error = await Assert.ThrowsAsync<StateStoreException>(() => SqliteClusterStore.OpenAsync(options, Ct));
        Assert.Contains("in use", error.Message);
        await first.DisposeAsync();
        await using var second = await SqliteClusterStore.OpenAsync(options, Ct);
        Assert.Empty((await second.LoadAsync(Ct)).Apps);
    }

    [Fact]
    public async Task OpenAsync_MaxVersionsBelowOne_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path, MaxVersions = 0 }, Ct));
    }

    [Fact]
    public async Task AddHarrierState_Resolve_OpensSqliteStoreInConfiguredDir()
    {
        var services = new ServiceCollection().AddHarrierState(o =>
        {
            o.DataDir = _dir.Path;
            o.MaxVersions = 2;
        });
        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IClusterStore>();
            Assert.IsType<SqliteClusterStore>(store);
            Assert.Same(store, provider.GetRequiredService<IClusterStore>());
            foreach (var version in new long[] { 1, 2, 3 })
            {
                await store.CommitAsync(new StateChange { PutApps = [TestData.App("/a", version)] }, Ct);
            }
            Assert.Equal(2, (await store.ListAppVersionsAsync(PathId.Parse("/a"), Ct)).Count);
        }
        Assert.True(File.Exists(Path.Combine(_dir.Path, SqliteClusterStore.FileName)));
        // The container disposed the store: the file is closed, so another store can open it.
        await using var reopened = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct);
        Assert.Single((await reopened.LoadAsync(Ct)).Apps);
    }

    [Fact]
    public async Task AddHarrierState_SyncDisposeOfContainer_DisposesStore()
    {
        var provider = new ServiceCollection().AddHarrierState(o => o.DataDir = _dir.Path).BuildServiceProvider();
        var store = provider.GetRequiredService<IClusterStore>();
        provider.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.LoadAsync(Ct));
    }

    [Fact]
    public async Task CommitAsync_LargeChange_EncodedInParallel_EveryInstanceStoredAsGiven()
    {
        var instances = Enumerable.Range(0, 2_000).Select(i => TestData.Instance($"app.instance-{i:D5}", message: "m" + i)).ToList();
        await using (var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct))
        {
            await store.CommitAsync(new StateChange { PutInstances = [.. instances] }, Ct);
        }
        await using var reopened = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct);
        var loaded = (await reopened.LoadAsync(Ct)).Instances.ToDictionary(i => i.Id);
        Assert.Equal(instances.Count, loaded.Count);
        Assert.All(instances, i => Assert.Equal(i, loaded[i.Id]));
    }

    public void Dispose() => _dir.Dispose();

    private static SqliteConnection OpenRaw(string dataDir)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, SqliteClusterStore.FileName)};Pooling=False");
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
