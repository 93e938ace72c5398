using Microsoft.Data.Sqlite;

namespace Harrier.State.Sqlite;

/// <summary>
/// Checks the data directory before the store opens <c>state.db</c>, so state is never lost silently. SQLite would
/// take a missing or zero-length file for a new, empty database, and the server would then start with no apps, call
/// every running task an orphan and kill it. So:
/// <list type="bullet">
/// <item>the directory must be writable (a read-only one is said to be so, not discovered at the first commit);</item>
/// <item>a missing or zero-length <c>state.db</c> next to evidence of earlier state (the <see cref="MarkerFileName"/>
/// the store writes once initialised, a write-ahead log, or what the host names, such as its agent's checkpoint) is
/// refused;</item>
/// <item>a <c>state.db</c> that is not an SQLite database or fails <c>PRAGMA quick_check</c> is refused.</item>
/// </list>
/// With <see cref="StateOptions.RecoverFromAgents"/> each of those starts an empty store instead; a damaged file is
/// moved aside (never deleted) first.
/// </summary>
internal static class StateFileGuard
{
    /// <summary>Written (and fsynced) next to <c>state.db</c> once the store has been initialised there.</summary>
    public const string MarkerFileName = "state.initialized";

    private static ReadOnlySpan<byte> SqliteHeader => "SQLite format 3\0"u8;

    /// <summary>
    /// Refuses a lost or damaged <c>state.db</c> (see the type's summary). Returns null when the store may open as
    /// it is, or a note saying what recovery found and did.
    /// </summary>
    public static string? Check(StateOptions options)
    {
        var dataDir = options.DataDir;
        var db = Path.Combine(dataDir, SqliteClusterStore.FileName);
        var evidence = Evidence(dataDir, options.OtherState);
        var file = new FileInfo(db);
        if (!file.Exists || file.Length == 0)
        {
            var what = file.Exists ? $"{db} is empty (0 bytes)" : $"{db} is missing";
            if (evidence is null)
            {
                return null;
            }
            if (options.RecoverFromAgents)
            {
                var moved = file.Exists ? MoveAside(db, "empty") : null;
                return $"{what} ({evidence} shows earlier state){(moved is null ? "" : $"; moved to {moved}")}; starting an empty store";
            }
            throw new StateStoreException(
                $"{what}, but {evidence} shows this directory held Harrier's state: refusing to start empty (every running task would become an orphan and be killed). Restore state.db from a backup, or start with --recover-from-agents to rebuild from what the agents report.");
        }
        if (Damage(db) is { } damage)
        {
            if (options.RecoverFromAgents)
            {
                return $"{db} is corrupt ({damage}); moved to {MoveAside(db, "corrupt")}; starting an empty store";
            }
            throw new StateStoreException(
                $"{db} is corrupt ({damage}): refusing to start. Restore it from a backup, or start with --recover-from-agents to move it aside and rebuild from what the agents report.");
        }
        return null;
    }

    /// <summary>Records that a store was initialised here, so a later missing <c>state.db</c> is noticed.</summary>
    public static void WriteMarker(string dataDir)
    {
        var marker = Path.Combine(dataDir, MarkerFileName);
        if (File.Exists(marker))
        {
            return;
        }
        using var stream = new FileStream(marker, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write("Harrier's state store was initialised in this directory; state.db must not go missing.\n"u8);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The first sign that this directory held state before, or null.</summary>
    private static string? Evidence(string dataDir, IReadOnlyList<string> otherState)
    {
        var marker = Path.Combine(dataDir, MarkerFileName);
        if (File.Exists(marker))
        {
            return marker;
        }
        var wal = new FileInfo(Path.Combine(dataDir, SqliteClusterStore.FileName + "-wal"));
        if (wal.Exists && wal.Length > 0)
        {
            return wal.FullName;
        }
        return otherState.FirstOrDefault(p => File.Exists(p) || (Directory.Exists(p) && Directory.EnumerateFileSystemEntries(p).Any()));
    }

    /// <summary>What is wrong with the database file, or null when SQLite finds it sound.</summary>
    private static string? Damage(string db)
    {
        Span<byte> header = stackalloc byte[16];
        try
        {
            using var stream = new FileStream(db, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.SequenceEqual(SqliteHeader))
            {
                return "not an SQLite database";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"{db} cannot be read: {DataDirectory.Reason(e)}", e);
        }
        var builder = new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(1)";
            using var reader = command.ExecuteReader();
            var problems = new List<string>();
            while (reader.Read())
            {
                problems.Add(reader.GetString(0));
            }
            return problems is ["ok"] ? null : "quick_check: " + string.Join("; ", problems).Replace("*** in database main ***", "", StringComparison.Ordinal).ReplaceLineEndings(" ").Trim();
        }
        catch (SqliteException e)
        {
            return e.Message.Replace('\n', ' ');
        }
    }

    /// <summary>Renames the database and its WAL files to <c>state.db.KIND-N</c> (the first unused N).</summary>
    private static string MoveAside(string db, string kind)
    {
        var n = 1;
        while (File.Exists($"{db}.{kind}-{n}"))
        {
            n++;
        }
        var target = $"{db}.{kind}-{n}";
        File.Move(db, target);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(db + suffix))
            {
                File.Move(db + suffix, target + suffix);
            }
        }
        return target;
    }
}
