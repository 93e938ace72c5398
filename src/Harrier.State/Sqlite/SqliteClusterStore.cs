using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization.Metadata;
using Harrier.Core.Apps;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.State.Codec;
using Harrier.State.Sqlite;
using Microsoft.Data.Sqlite;

namespace Harrier.State;

/// <summary>
/// The embedded provider: one SQLite database (<c>state.db</c> in <see cref="StateOptions.DataDir"/>), one row per
/// entity, WAL with synchronous=FULL so a commit is durable when <see cref="CommitAsync"/> returns and a crash never
/// exposes half of one. Owns one connection; every operation is serialized on it, so readers see whole commits only.
/// Microsoft.Data.Sqlite has no truly asynchronous I/O: the async methods complete synchronously.
/// </summary>
public sealed class SqliteClusterStore : IClusterStore, IDisposable
{
    public const string FileName = "state.db";

    public const string LockFileName = "state.lock";

    private const int ParallelDecodeThreshold = 512;

    private readonly FileStream _lock;
    private readonly SqliteConnection _connection;
    private readonly SqliteStatements _statements;
    private readonly int _maxVersions;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    private SqliteClusterStore(FileStream lockFile, SqliteConnection connection, int maxVersions)
    {
        _lock = lockFile;
        _connection = connection;
        _maxVersions = maxVersions;
        _statements = new SqliteStatements(connection);
    }

    /// <summary>What <see cref="StateOptions.RecoverFromAgents"/> found and did at open (null: the store was sound).</summary>
    public string? Recovery { get; private init; }

    /// <summary>Test hook: called inside the commit transaction after each row is written ("table:id").
    /// Throwing from it must roll the whole change back.</summary>
    internal Action<string>? AfterRowWritten { get; set; }

    /// <summary>Opens (creating if needed) the database. Completes synchronously.</summary>
    public static Task<SqliteClusterStore> OpenAsync(StateOptions options, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Open(options));
    }

    internal static SqliteClusterStore Open(StateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxVersions, 1);
        DataDirectory.EnsureWritable(options.DataDir);
        var lockFile = AcquireLock(options.DataDir);
        string? recovery;
        try
        {
            recovery = StateFileGuard.Check(options);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(options.DataDir, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // One long-lived connection; no pool, so disposing the store really closes the file.
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            SqliteSchema.Configure(connection);
            SqliteSchema.Create(connection);
            StateFileGuard.WriteMarker(options.DataDir);
            return new SqliteClusterStore(lockFile, connection, options.MaxVersions) { Recovery = recovery };
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            lockFile.Dispose();
            throw new StateStoreException($"{builder.DataSource} cannot be opened: {e.Message.Replace('\n', ' ')}", e);
        }
        catch
        {
            connection.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One process per data dir: a second server on the same files would keep its own view of the state and its
    /// writes would interleave with ours. .NET takes an exclusive flock for <see cref="FileShare.None"/>; the kernel
    /// drops it when the process dies, so a crash never leaves a stale lock.
    /// </summary>
    private static FileStream AcquireLock(string dataDir)
    {
        try
        {
            return new FileStream(Path.Combine(dataDir, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new StateStoreException($"The state directory '{dataDir}' is in use by another Harrier store.", e);
        }
    }

    public async Task<ClusterData> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await LoadAllAsync(cancellationToken);
        }
        catch (Exception e) when (e is not (OperationCanceledException or ObjectDisposedException or StateStoreException or OutOfMemoryException))
        {
            // A damaged page or record that quick_check at open did not see: say so, once, instead of a stack trace.
            throw new StateStoreException($"{_connection.DataSource} cannot be read: {(e is AggregateException a ? a.InnerExceptions[0] : e).Message.Replace('\n', ' ')}", e);
        }
    }

    private async Task<ClusterData> LoadAllAsync(CancellationToken cancellationToken)
    {
        List<byte[]> apps, groups, instances, deployments, agents;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // One read transaction: all five tables come from the same commit. Decoding happens after the lock is
            // released, so a large load holds up writers only for the raw reads.
            using var transaction = _connection.BeginTransaction(deferred: true);
            _statements.Enlist(transaction);
            apps = ReadAll(SqliteSchema.Apps);
            groups = ReadAll(SqliteSchema.Groups);
            instances = ReadAll(SqliteSchema.Instances);
            deployments = ReadAll(SqliteSchema.Deployments);
            agents = ReadAll(SqliteSchema.Agents);
            transaction.Commit();
        }
        finally
        {
            _statements.Enlist(null);
            _gate.Release();
        }
        return new ClusterData(
            DecodeAll(apps, StoredRecordCodec.App).Sort((a, b) => a.Id.CompareTo(b.Id)),
            DecodeAll(groups, StoredRecordCodec.Group).Sort((a, b) => a.Id.CompareTo(b.Id)),
            DecodeAll(instances, StoredRecordCodec.Instance).Sort((a, b) => string.CompareOrdinal(a.Id.Value, b.Id.Value)),
            DecodeAll(deployments, StoredRecordCodec.Deployment).Sort((a, b) => string.CompareOrdinal(a.Id.Value, b.Id.Value)),
            DecodeAll(agents, StoredRecordCodec.Agent).Sort((a, b) => string.CompareOrdinal(a.Id.Value, b.Id.Value)));
    }

    public async Task CommitAsync(StateChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.IsEmpty)
        {
            return;
        }
        var encoded = EncodedChange.From(change);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Past this point the change is not cancelled: it either commits whole or rolls back on failure.
            using var transaction = _connection.BeginTransaction(deferred: false);
            _statements.Enlist(transaction);
            Write(encoded);
            transaction.Commit();
        }
        finally
        {
            _statements.Enlist(null);
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<Timestamp>> ListAppVersionsAsync(PathId appId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var command = _statements.ListVersions;
            command.Parameters["$id"].Value = appId.Value;
            var versions = new List<Timestamp>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                versions.Add(new Timestamp(reader.GetInt64(0)));
            }
            return versions;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<AppSpec?> GetAppVersionAsync(PathId appId, Timestamp version, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var command = _statements.GetVersion;
            command.Parameters["$id"].Value = appId.Value;
            command.Parameters["$version"].Value = version.UnixMilliseconds;
            using var reader = command.ExecuteReader();
            return reader.Read() ? StoredRecordCodec.Decode(reader.GetFieldValue<byte[]>(0), StoredRecordCodec.App) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<Timestamp>> ListGroupVersionsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var versions = new List<Timestamp>();
            using var reader = _statements.ListGroupVersions.ExecuteReader();
            while (reader.Read())
            {
                versions.Add(new Timestamp(reader.GetInt64(0)));
            }
            return versions;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<RootGroupVersion?> GetGroupVersionAsync(Timestamp version, CancellationToken cancellationToken)
    {
        byte[]? record;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var command = _statements.GetGroupVersion;
            command.Parameters["$version"].Value = version.UnixMilliseconds;
            using var reader = command.ExecuteReader();
            record = reader.Read() ? reader.GetFieldValue<byte[]>(0) : null;
        }
        finally
        {
            _gate.Release();
        }
        // Decoded outside the lock: a root of thousands of apps is not free to decode.
        return record is null ? null : StoredRecordCodec.Decode(record, StoredRecordCodec.GroupVersion);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _statements.Dispose();
            _connection.Dispose();
            _lock.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Write(EncodedChange encoded)
    {
        var rows = encoded.Rows;
        for (var i = 0; i < rows.Count; i++)
        {
            if (IsBulk(rows, i))
            {
                var bulk = _statements.BulkUpsert(rows[i].Table);
                for (var k = 0; k < SqliteStatements.BulkRows; k++)
                {
                    bulk.Parameters[2 * k].Value = rows[i + k].Id;
                    bulk.Parameters[(2 * k) + 1].Value = rows[i + k].Record;
                }
                bulk.ExecuteNonQuery();
                for (var k = 0; k < SqliteStatements.BulkRows; k++)
                {
                    AfterRowWritten?.Invoke($"{rows[i + k].Table}:{rows[i + k].Id}");
                }
                i += SqliteStatements.BulkRows - 1;
                continue;
            }
            var row = rows[i];
            var command = row.Record is null ? _statements.Delete(row.Table) : _statements.Upsert(row.Table);
            command.Parameters["$id"].Value = row.Id;
            if (row.Record is not null)
            {
                command.Parameters["$record"].Value = row.Record;
            }
            command.ExecuteNonQuery();
            AfterRowWritten?.Invoke($"{row.Table}:{row.Id}");
        }
        foreach (var (appId, version, record) in encoded.Versions)
        {
            var put = _statements.PutVersion;
            put.Parameters["$id"].Value = appId;
            put.Parameters["$version"].Value = version;
            put.Parameters["$record"].Value = record;
            put.ExecuteNonQuery();
            AfterRowWritten?.Invoke($"app_versions:{appId}@{version}");
        }
        foreach (var appId in encoded.Versions.Select(v => v.AppId).Distinct(StringComparer.Ordinal))
        {
            var prune = _statements.PruneVersions;
            prune.Parameters["$id"].Value = appId;
            prune.Parameters["$keep"].Value = _maxVersions;
            prune.ExecuteNonQuery();
        }
        foreach (var (version, record) in encoded.GroupVersions)
        {
            var put = _statements.PutGroupVersion;
            put.Parameters["$version"].Value = version;
            put.Parameters["$record"].Value = record;
            put.ExecuteNonQuery();
            AfterRowWritten?.Invoke($"group_versions:{version}");
        }
        if (encoded.GroupVersions.Count > 0)
        {
            var prune = _statements.PruneGroupVersions;
            prune.Parameters["$keep"].Value = _maxVersions;
            prune.ExecuteNonQuery();
        }
    }

    /// <summary>Whether the rows from <paramref name="start"/> on begin with a full bulk upsert: puts into one table.</summary>
    private static bool IsBulk(List<EncodedRow> rows, int start)
    {
        if (rows.Count - start < SqliteStatements.BulkRows)
        {
            return false;
        }
        var table = rows[start].Table;
        for (var k = start; k < start + SqliteStatements.BulkRows; k++)
        {
            if (rows[k].Record is null || rows[k].Table != table)
            {
                return false;
            }
        }
        return true;
    }

    private List<byte[]> ReadAll(string table)
    {
        var records = new List<byte[]>();
        using var reader = _statements.SelectAll(table).ExecuteReader();
        while (reader.Read())
        {
            records.Add(reader.GetFieldValue<byte[]>(0));
        }
        return records;
    }

    /// <summary>Decodes records; large sets in parallel, since decoding dominates a full load.</summary>
    private static ImmutableArray<T> DecodeAll<T>(List<byte[]> records, JsonTypeInfo<StoredRecord<T>> info)
    {
        var values = new T[records.Count];
        if (records.Count < ParallelDecodeThreshold)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = StoredRecordCodec.Decode(records[i], info);
            }
        }
        else
        {
            Parallel.For(0, values.Length, i => values[i] = StoredRecordCodec.Decode(records[i], info));
        }
        return ImmutableCollectionsMarshal.AsImmutableArray(values);
    }
}
