using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harrier.Agent;

/// <summary>
/// The agent's files under its work dir: <c>agent.json</c> (the agent id and its secret), <c>tasks/&lt;id&gt;/task.json</c>
/// (one <see cref="CheckpointedTask"/> each), <c>sandboxes/&lt;id&gt;/</c> and <c>cache/</c>. Every write is
/// atomic (temp file, fsync, rename) so a crash leaves either the old or the new record, never half of one.
/// </summary>
internal sealed class AgentCheckpoint
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public AgentCheckpoint(string workDir)
    {
        WorkDir = Path.GetFullPath(workDir);
        Directory.CreateDirectory(TasksDir);
        Directory.CreateDirectory(SandboxesDir);
        Directory.CreateDirectory(CacheDir);
    }

    public string WorkDir { get; }

    public string TasksDir => Path.Combine(WorkDir, "tasks");

    public string SandboxesDir => Path.Combine(WorkDir, "sandboxes");

    public string CacheDir => Path.Combine(WorkDir, "cache");

    public string SandboxOf(string taskId) => Path.Combine(SandboxesDir, taskId);

    public string StateDirOf(string taskId) => Path.Combine(TasksDir, taskId);

    /// <summary>
    /// The persisted identity, or a new one (persisted at once, readable by root only) on first start: a random secret
    /// and the id it proves (<see cref="Protocol.AgentIdProof"/>). A work dir from before secrets keeps its id, without one.
    /// </summary>
    public AgentIdentity LoadOrCreateIdentity()
    {
        var file = Path.Combine(WorkDir, "agent.json");
        if (File.Exists(file))
        {
            var doc = JsonSerializer.Deserialize<AgentRecord>(File.ReadAllText(file), Json);
            if (doc is { AgentId.Length: > 0 })
            {
                return new AgentIdentity(new Core.Ids.AgentId(doc.AgentId), doc.Secret);
            }
        }
        var secret = Protocol.AgentIdProof.NewSecret();
        var identity = new AgentIdentity(Protocol.AgentIdProof.IdFor(secret), secret);
        WriteAtomically(file, JsonSerializer.SerializeToUtf8Bytes(new AgentRecord(identity.Id.Value, secret), Json), mode: UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return identity;
    }

    /// <summary>
    /// Writes a task's record. <paramref name="durable"/> false skips the fsync: used for acknowledgements, where
    /// losing the write after a crash only means an update is sent once more.
    /// </summary>
    public void Save(CheckpointedTask task, bool durable = true)
    {
        var dir = StateDirOf(task.TaskId);
        Directory.CreateDirectory(dir);
        WriteAtomically(Path.Combine(dir, "task.json"), JsonSerializer.SerializeToUtf8Bytes(task, Json), durable);
    }

    /// <summary>Forgets a task once it is terminal and every update about it is acknowledged (the sandbox stays).</summary>
    public void Remove(string taskId)
    {
        var dir = StateDirOf(taskId);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public IReadOnlyList<CheckpointedTask> LoadTasks()
    {
        var tasks = new List<CheckpointedTask>();
        foreach (var dir in Directory.EnumerateDirectories(TasksDir))
        {
            var file = Path.Combine(dir, "task.json");
            if (File.Exists(file) && JsonSerializer.Deserialize<CheckpointedTask>(File.ReadAllBytes(file), Json) is { } task)
            {
                tasks.Add(task);
            }
        }
        return tasks;
    }

    private static void WriteAtomically(string path, byte[] content, bool durable = true, UnixFileMode? mode = null)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            // The mode applies only to a new file: a temp file left by a crash is removed first.
            options.UnixCreateMode = m;
            File.Delete(temp);
        }
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: durable);
        }
        File.Move(temp, path, overwrite: true);
    }

    private sealed record AgentRecord(string AgentId, string? Secret = null);
}
