using System.Globalization;

namespace Harrier.Linux;

/// <summary>
/// One task's cgroup. The task's launcher writes its own pid into <see cref="ProcsFiles"/> before it execs the
/// task, so every process of the task is accounted and limited from the start.
/// </summary>
public sealed class TaskCgroup
{
    private const int CfsPeriodUs = 100_000;
    private readonly CgroupHierarchy _hierarchy;
    private readonly IReadOnlyList<string> _dirs;

    private TaskCgroup(CgroupHierarchy hierarchy, string name)
    {
        _hierarchy = hierarchy;
        Name = name;
        _dirs = hierarchy.DirectoriesFor(name);
    }

    public string Name { get; }

    public IReadOnlyList<string> ProcsFiles => _dirs.Select(d => Path.Combine(d, "cgroup.procs")).ToArray();

    private string MemoryDir => _hierarchy.IsV2 ? _dirs[0] : _dirs[1];

    /// <summary>Creates (or reuses) the cgroup and writes its limits.</summary>
    public static TaskCgroup Create(CgroupHierarchy hierarchy, string name, CgroupLimits limits)
    {
        var cg = new TaskCgroup(hierarchy, name);
        foreach (var dir in cg._dirs)
        {
            Directory.CreateDirectory(dir);
        }
        var cpuDir = cg._dirs[0];
        if (hierarchy.IsV2)
        {
            // cpu.weight is 1..10000 with 100 as the default, the v2 analogue of 1024 shares.
            var weight = Math.Clamp((long)Math.Round(limits.CpuShares * 100 / 1024), 1, 10000);
            Write(cpuDir, "cpu.weight", weight.ToString(CultureInfo.InvariantCulture));
            Write(cpuDir, "cpu.max", limits.CpuQuota is { } q ? $"{Quota(q)} {CfsPeriodUs}" : $"max {CfsPeriodUs}");
            Write(cg.MemoryDir, "memory.max", limits.MemoryBytes?.ToString(CultureInfo.InvariantCulture) ?? "max");
            Write(cg.MemoryDir, "memory.swap.max", "0", optional: true);
        }
        else
        {
            Write(cpuDir, "cpu.shares", Math.Max(2, (long)Math.Round(limits.CpuShares)).ToString(CultureInfo.InvariantCulture));
            Write(cpuDir, "cpu.cfs_period_us", CfsPeriodUs.ToString(CultureInfo.InvariantCulture));
            Write(cpuDir, "cpu.cfs_quota_us", limits.CpuQuota is { } q ? Quota(q).ToString(CultureInfo.InvariantCulture) : "-1");
            Write(cg.MemoryDir, "memory.limit_in_bytes", limits.MemoryBytes?.ToString(CultureInfo.InvariantCulture) ?? "-1");
        }
        return cg;
    }

    /// <summary>Re-attaches to an existing task cgroup after an agent restart.</summary>
    public static TaskCgroup Open(CgroupHierarchy hierarchy, string name) => new(hierarchy, name);

    public bool Exists => Directory.Exists(MemoryDir);

    /// <summary>How many times the kernel OOM killer killed a process of this cgroup.</summary>
    public long OomKillCount()
    {
        var file = Path.Combine(MemoryDir, _hierarchy.IsV2 ? "memory.events" : "memory.oom_control");
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ');
                if (parts.Length == 2 && parts[0] == "oom_kill")
                {
                    return long.Parse(parts[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>
    /// On cgroup v1, an OOM notification on this cgroup (see <see cref="OomWatch"/>); null on v2, where
    /// <see cref="OomKillCount"/> already counts kills in child cgroups.
    /// </summary>
    public OomWatch? WatchOom() => _hierarchy.IsV2 ? null : OomWatch.Register(MemoryDir);

    /// <summary>The memory limit in bytes, or null when there is none.</summary>
    public long? MemoryLimit()
    {
        var file = Path.Combine(MemoryDir, _hierarchy.IsV2 ? "memory.max" : "memory.limit_in_bytes");
        try
        {
            var text = File.ReadAllText(file).Trim();
            return long.TryParse(text, CultureInfo.InvariantCulture, out var v) && v < long.MaxValue / 2 ? v : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The pids in the cgroup right now.</summary>
    public IReadOnlyList<int> Processes()
    {
        var pids = new HashSet<int>();
        foreach (var procs in ProcsFiles)
        {
            ReadPids(procs, pids);
        }
        return [.. pids];
    }

    /// <summary>Adds the pids a <c>cgroup.procs</c> file lists; a cgroup removed meanwhile lists none.</summary>
    internal static void ReadPids(string procsFile, ISet<int> pids)
    {
        try
        {
            foreach (var line in File.ReadLines(procsFile))
            {
                if (int.TryParse(line, CultureInfo.InvariantCulture, out var pid))
                {
                    pids.Add(pid);
                }
            }
        }
        catch (IOException)
        {
            // Removed while we listed it.
        }
    }

    /// <summary>
    /// SIGKILLs every process still in the cgroup (strays a task left behind) and removes it. Returns false when
    /// processes were still there after <paramref name="timeout"/> (the directories are then left in place).
    /// </summary>
    public async Task<bool> DestroyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            var pids = Processes();
            if (pids.Count == 0)
            {
                break;
            }
            foreach (var pid in pids)
            {
                ProcessControl.Signal(pid, ProcessControl.SigKill);
                ProcessControl.TryReap(pid);
            }
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }
            await Task.Delay(20, cancellationToken);
        }
        foreach (var dir in _dirs)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    if (Directory.Exists(dir))
                    {
                        Directory.Delete(dir);
                    }
                    break;
                }
                catch (IOException) when (attempt < 50)
                {
                    // A just-killed process can linger in the cgroup for a moment after leaving cgroup.procs.
                    await Task.Delay(20, cancellationToken);
                }
            }
        }
        return true;
    }

    private static long Quota(double cores) => Math.Max(1000, (long)Math.Round(cores * CfsPeriodUs));

    private static void Write(string dir, string file, string value, bool optional = false)
    {
        var path = Path.Combine(dir, file);
        if (optional && !File.Exists(path))
        {
            return;
        }
        File.WriteAllText(path, value);
    }
}
