using Microsoft.Data.Sqlite;

namespace Harrier.State.Sqlite;

/// <summary>
/// Prepared commands over the one connection, built once: SQLite then compiles each statement once.
/// Not thread-safe; the store serializes all use.
/// </summary>
internal sealed class SqliteStatements : IDisposable
{
    /// <summary>Rows one bulk upsert writes: a scale-up stores 100,000 instances, and a statement per row cost more
    /// than SQLite's own work on it.</summary>
    public const int BulkRows = 64;

    private readonly Dictionary<string, SqliteCommand> _upserts = [];
    private readonly Dictionary<string, SqliteCommand> _bulkUpserts = [];
    private readonly Dictionary<string, SqliteCommand> _deletes = [];
    private readonly Dictionary<string, SqliteCommand> _selectAll = [];
    private readonly List<SqliteCommand> _all = [];

    public SqliteStatements(SqliteConnection connection)
    {
        foreach (var table in SqliteSchema.EntityTables)
        {
            _upserts[table] = Prepare(connection,
                $"INSERT INTO {table} (id, record) VALUES ($id, $record) ON CONFLICT (id) DO UPDATE SET record = excluded.record",
                ("$id", SqliteType.Text), ("$record", SqliteType.Blob));
            _bulkUpserts[table] = Prepare(connection,
                $"INSERT INTO {table} (id, record) VALUES "
                + string.Join(", ", Enumerable.Range(0, BulkRows).Select(i => $"($id{i}, $record{i})"))
                + " ON CONFLICT (id) DO UPDATE SET record = excluded.record",
                [.. Enumerable.Range(0, BulkRows).SelectMany(i => new[] { ($"$id{i}", SqliteType.Text), ($"$record{i}", SqliteType.Blob) })]);
            _deletes[table] = Prepare(connection, $"DELETE FROM {table} WHERE id = $id", ("$id", SqliteType.Text));
            _selectAll[table] = Prepare(connection, $"SELECT record FROM {table}");
        }
        PutVersion = Prepare(connection,
            "INSERT INTO app_versions (id, version, record) VALUES ($id, $version, $record) "
            + "ON CONFLICT (id, version) DO UPDATE SET record = excluded.record",
            ("$id", SqliteType.Text), ("$version", SqliteType.Integer), ("$record", SqliteType.Blob));
        // Deletes the (keep+1)-th newest version and everything older; a NULL bound (few versions) deletes nothing.
        PruneVersions = Prepare(connection,
            "DELETE FROM app_versions WHERE id = $id AND version <= "
            + "(SELECT version FROM app_versions WHERE id = $id ORDER BY version DESC LIMIT 1 OFFSET $keep)",
            ("$id", SqliteType.Text), ("$keep", SqliteType.Integer));
        ListVersions = Prepare(connection,
            "SELECT version FROM app_versions WHERE id = $id ORDER BY version DESC", ("$id", SqliteType.Text));
        GetVersion = Prepare(connection,
            "SELECT record FROM app_versions WHERE id = $id AND version = $version",
            ("$id", SqliteType.Text), ("$version", SqliteType.Integer));
        PutGroupVersion = Prepare(connection,
            "INSERT INTO group_versions (version, record) VALUES ($version, $record) "
            + "ON CONFLICT (version) DO UPDATE SET record = excluded.record",
            ("$version", SqliteType.Integer), ("$record", SqliteType.Blob));
        PruneGroupVersions = Prepare(connection,
            "DELETE FROM group_versions WHERE version <= "
            + "(SELECT version FROM group_versions ORDER BY version DESC LIMIT 1 OFFSET $keep)",
            ("$keep", SqliteType.Integer));
        ListGroupVersions = Prepare(connection, "SELECT version FROM group_versions ORDER BY version DESC");
        GetGroupVersion = Prepare(connection,
            "SELECT record FROM group_versions WHERE version = $version", ("$version", SqliteType.Integer));
    }

    public SqliteCommand PutGroupVersion { get; }

    public SqliteCommand PruneGroupVersions { get; }

    public SqliteCommand ListGroupVersions { get; }

    public SqliteCommand GetGroupVersion { get; }

    public SqliteCommand PutVersion { get; }

    public SqliteCommand PruneVersions { get; }

    public SqliteCommand ListVersions { get; }

    public SqliteCommand GetVersion { get; }

    public SqliteCommand Upsert(string table) => _upserts[table];

    /// <summary><see cref="BulkRows"/> upserts in one statement; parameter 2i is row i's id, 2i+1 its record.</summary>
    public SqliteCommand BulkUpsert(string table) => _bulkUpserts[table];

    public SqliteCommand Delete(string table) => _deletes[table];

    public SqliteCommand SelectAll(string table) => _selectAll[table];

    /// <summary>Microsoft.Data.Sqlite requires every command to name the connection's pending transaction (or null).</summary>
    public void Enlist(SqliteTransaction? transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }

    private SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }
        command.Prepare();
        _all.Add(command);
        return command;
    }
}
