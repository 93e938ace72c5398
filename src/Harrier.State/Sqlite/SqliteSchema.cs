using Microsoft.Data.Sqlite;

namespace Harrier.State.Sqlite;

/// <summary>
/// The embedded store's tables: one row per entity, the record as a <see cref="Codec.StoredRecordCodec"/> blob.
/// <c>app_versions</c> is keyed by app id and version (Unix milliseconds) and outlives the app's current row;
/// <c>group_versions</c> holds the stored root group versions (<see cref="Core.Groups.RootGroupVersion"/>), keyed by version.
/// Schema 2 added <c>group_versions</c>; opening a schema-1 database creates it and records schema 2.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The table layout version in <c>meta</c>; records carry their own format version as well.</summary>
    public const int Version = 2;

    public const string Apps = "apps";
    public const string Groups = "groups";
    public const string Instances = "instances";
    public const string Deployments = "deployments";
    public const string Agents = "agents";

    public static readonly string[] EntityTables = [Apps, Groups, Instances, Deployments, Agents];

    /// <summary>
    /// WAL with synchronous=FULL makes a transaction durable when COMMIT returns (the WAL is fsynced) and keeps a
    /// torn write from ever becoming visible: recovery replays only whole committed frames. A 16 MiB page cache keeps
    /// a large commit (1,000 apps plus their versions) from spilling dirty pages before it commits.
    /// </summary>
    public static void Configure(SqliteConnection connection)
    {
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA busy_timeout = 5000;
            PRAGMA foreign_keys = OFF;
            PRAGMA cache_size = -16384;
            """);
    }

    public static void Create(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var ddl = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
            + string.Concat(EntityTables.Select(t => $"CREATE TABLE IF NOT EXISTS {t} (id TEXT PRIMARY KEY, record BLOB NOT NULL);\n"))
            + """
              CREATE TABLE IF NOT EXISTS app_versions (
                  id TEXT NOT NULL, version INTEGER NOT NULL, record BLOB NOT NULL, PRIMARY KEY (id, version));
              CREATE TABLE IF NOT EXISTS group_versions (version INTEGER PRIMARY KEY, record BLOB NOT NULL);
              """;
        Execute(connection, ddl, transaction);
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', $v); SELECT value FROM meta WHERE key = 'schema';";
            command.Parameters.AddWithValue("$v", Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var stored = int.Parse((string)command.ExecuteScalar()!, System.Globalization.CultureInfo.InvariantCulture);
            if (stored > Version)
            {
                throw new StateStoreException(
                    $"The state database has schema {stored}; this build knows schema {Version}. Use a newer Harrier.");
            }
            if (stored < Version)
            {
                // The older layouts are subsets of this one (the tables above were just created): record the upgrade,
                // so an older build no longer opens a database it would write without group versions.
                command.CommandText = "UPDATE meta SET value = $v WHERE key = 'schema';";
                command.ExecuteNonQuery();
            }
        }
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
