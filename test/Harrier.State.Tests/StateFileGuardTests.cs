using Xunit;

namespace Harrier.State.Tests;

/// <summary>
/// State is never lost silently: a store that was initialised in a directory refuses to open over a missing, empty or
/// corrupt <c>state.db</c>, with one line saying what and how to recover; <c>RecoverFromAgents</c> starts empty instead,
/// moving a damaged file aside.
/// </summary>
public sealed class StateFileGuardTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Db => Path.Combine(_dir.Path, SqliteClusterStore.FileName);

    [Fact]
    public async Task OpenAsync_FreshDirectory_OpensAndMarksTheDirectory()
    {
        await using (var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct))
        {
            Assert.Null(store.Recovery);
        }
        Assert.True(File.Exists(Path.Combine(_dir.Path, "state.initialized")));
    }

    [Fact]
    public async Task OpenAsync_ZeroLengthStateDbOfAnInitialisedStore_RefusesNamingTheFile()
    {
        await InitialiseWithAnAppAsync();
        await File.WriteAllBytesAsync(Db, [], Ct);

        var error = await Assert.ThrowsAsync<StateStoreException>(() => SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct));

        Assert.Contains("state.db is empty (0 bytes)", error.Message);
        Assert.Contains("--recover-from-agents", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(0, new FileInfo(Db).Length);
    }

    [Fact]
    public async Task OpenAsync_MissingStateDbNextToTheHostsOtherState_Refuses()
    {
        var agentId = Path.Combine(_dir.Path, "agent", "agent.json");
        Directory.CreateDirectory(Path.GetDirectoryName(agentId)!);
        await File.WriteAllTextAsync(agentId, "{}", Ct);

        var error = await Assert.ThrowsAsync<StateStoreException>(() => SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path, OtherState = [agentId] }, Ct));

        Assert.Contains("state.db is missing", error.Message);
        Assert.Contains(agentId, error.Message);
    }

    [Fact]
    public async Task OpenAsync_MissingStateDbOfAnInitialisedStore_Refuses()
    {
        await InitialiseWithAnAppAsync();
        File.Delete(Db);
        File.Delete(Db + "-wal");

        var error = await Assert.ThrowsAsync<StateStoreException>(() => SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct));

        Assert.Contains("state.db is missing", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenAsync_CorruptStateDb_RefusesSayingItIsCorrupt(bool validHeader)
    {
        await File.WriteAllBytesAsync(Db, Corrupt(validHeader), Ct);

        var error = await Assert.ThrowsAsync<StateStoreException>(() => SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct));

        Assert.Contains("state.db is corrupt", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task OpenAsync_CorruptStateDbWithRecoverFromAgents_MovesItAsideAndStartsEmpty()
    {
        var corrupt = Corrupt(validHeader: false);
        await File.WriteAllBytesAsync(Db, corrupt, Ct);

        await using var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path, RecoverFromAgents = true }, Ct);

        Assert.Contains("corrupt", store.Recovery);
        Assert.Equal(corrupt, await File.ReadAllBytesAsync(Db + ".corrupt-1", Ct));
        Assert.Empty((await store.LoadAsync(Ct)).Apps);
    }

    [Fact]
    public async Task OpenAsync_EmptyStateDbWithRecoverFromAgents_StartsEmpty()
    {
        await InitialiseWithAnAppAsync();
        await File.WriteAllBytesAsync(Db, [], Ct);

        await using var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path, RecoverFromAgents = true }, Ct);

        Assert.Contains("empty", store.Recovery);
        Assert.Empty((await store.LoadAsync(Ct)).Apps);
    }

    [Fact]
    public void EnsureWritable_PathUnderAFile_SaysItCannotBeCreated()
    {
        var file = Path.Combine(_dir.Path, "file");
        File.WriteAllText(file, "x");

        var error = Assert.Throws<StateStoreException>(() => DataDirectory.EnsureWritable(Path.Combine(file, "data")));

        Assert.Contains("cannot be created", error.Message);
    }

    private async Task InitialiseWithAnAppAsync()
    {
        await using var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path }, Ct);
        await store.CommitAsync(new StateChange { PutApps = [TestData.App("/a")] }, Ct);
    }

    /// <summary>Garbage, or SQLite's header followed by garbage pages.</summary>
    private static byte[] Corrupt(bool validHeader)
    {
        var bytes = Enumerable.Range(0, 16384).Select(i => (byte)(i * 7 + 3)).ToArray();
        if (validHeader)
        {
            "SQLite format 3\0"u8.CopyTo(bytes);
            bytes[16] = 0x10; // page size 4096
            bytes[17] = 0x00;
        }
        return bytes;
    }

    public void Dispose() => _dir.Dispose();
}
