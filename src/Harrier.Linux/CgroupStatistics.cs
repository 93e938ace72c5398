using System.Globalization;

namespace Harrier.Linux;

/// <summary>
/// Reads a task's usage from its cgroup, hierarchically (a container's own cgroup below the task's counts):
/// cpuacct user/system time (falling back to the processes' own times where cpuacct has no task cgroup), CFS
/// throttling, memory rss/cache/usage/limit, and the number of processes and threads. Works on cgroup v1 (one
/// hierarchy per controller) and v2.
/// </summary>
public static class CgroupStatistics
{
    private const double UserHz = 100.0;

    /// <param name="root">The cgroup mount root (<c>/sys/fs/cgroup</c>).</param>
    /// <param name="path">The task's cgroup relative to each hierarchy's root (<c>harrier/TASK</c>).</param>
    /// <param name="timestamp">Seconds since the epoch of the sample.</param>
    public static ResourceStatistics Read(string root, string path, double timestamp) =>
        File.Exists(Path.Combine(root, "cgroup.controllers")) ? ReadV2(Path.Combine(root, path), timestamp) : ReadV1(root, path, timestamp);

    private static ResourceStatistics ReadV1(string root, string path, double timestamp)
    {
        var cpu = FirstExisting(root, ["cpu", "cpu,cpuacct", "cpuacct,cpu"], path);
        var cpuacct = FirstExisting(root, ["cpuacct", "cpu,cpuacct", "cpuacct,cpu"], path);
        var memory = Path.Combine(root, "memory", path);
        var acct = cpuacct is null ? null : Keyed(Path.Combine(cpuacct, "cpuacct.stat"));
        var cpuStat = cpu is null ? null : Keyed(Path.Combine(cpu, "cpu.stat"));
        var mem = Keyed(Path.Combine(memory, "memory.stat"));
        var (procs, threads) = Count(memory, "cgroup.procs", "tasks");
        var (user, system) = acct is not null
            ? (acct.GetValueOrDefault("user") / UserHz, acct.GetValueOrDefault("system") / UserHz)
            : ProcessTimes(memory);
        return new ResourceStatistics
        {
            Timestamp = timestamp,
            CpusUserTimeSecs = user,
            CpusSystemTimeSecs = system,
            CpusLimit = cpu is null ? null : CpusLimit(ReadLong(Path.Combine(cpu, "cpu.cfs_quota_us")), ReadLong(Path.Combine(cpu, "cpu.cfs_period_us")), ReadLong(Path.Combine(cpu, "cpu.shares"))),
            CpusNrPeriods = cpuStat?.GetValueOrDefault("nr_periods"),
            CpusNrThrottled = cpuStat?.GetValueOrDefault("nr_throttled"),
            CpusThrottledTimeSecs = cpuStat is null ? null : cpuStat.GetValueOrDefault("throttled_time") / 1e9,
            MemRssBytes = mem?.GetValueOrDefault("total_rss"),
            MemCacheBytes = mem?.GetValueOrDefault("total_cache"),
            MemTotalBytes = ReadLong(Path.Combine(memory, "memory.usage_in_bytes")),
            MemLimitBytes = ReadLong(Path.Combine(memory, "memory.limit_in_bytes")) is { } l && l < long.MaxValue / 2 ? l : null,
            Processes = procs,
            Threads = threads,
        };
    }

    private static ResourceStatistics ReadV2(string dir, double timestamp)
    {
        var cpuStat = Keyed(Path.Combine(dir, "cpu.stat"));
        var mem = Keyed(Path.Combine(dir, "memory.stat"));
        var (procs, threads) = Count(dir, "cgroup.procs", "cgroup.threads");
        double? limit = null;
        if (ReadText(Path.Combine(dir, "cpu.max")) is { } max && max.Split(' ') is [var q, var p] && q != "max")
        {
            limit = double.Parse(q, CultureInfo.InvariantCulture) / double.Parse(p, CultureInfo.InvariantCulture);
        }
        return new ResourceStatistics
        {
            Timestamp = timestamp,
            CpusUserTimeSecs = cpuStat?.GetValueOrDefault("user_usec") / 1e6,
            CpusSystemTimeSecs = cpuStat?.GetValueOrDefault("system_usec") / 1e6,
            CpusLimit = limit,
            CpusNrPeriods = cpuStat?.GetValueOrDefault("nr_periods"),
            CpusNrThrottled = cpuStat?.GetValueOrDefault("nr_throttled"),
            CpusThrottledTimeSecs = cpuStat?.GetValueOrDefault("throttled_usec") / 1e6,
            MemRssBytes = mem?.GetValueOrDefault("anon"),
            MemCacheBytes = mem?.GetValueOrDefault("file"),
            MemTotalBytes = ReadLong(Path.Combine(dir, "memory.current")),
            MemLimitBytes = ReadLong(Path.Combine(dir, "memory.max")),
            Processes = procs,
            Threads = threads,
        };
    }

    /// <summary>The hard limit (CFS quota) in cores, else the relative weight in cores (shares / 1024), as the
    /// task asked for them.</summary>
    private static double? CpusLimit(long? quota, long? period, long? shares) =>
        quota is > 0 && period is > 0 ? (double)quota.Value / period.Value : shares is > 0 ? shares.Value / 1024.0 : null;

    private static string? FirstExisting(string root, string[] controllers, string path) =>
        controllers.Select(c => Path.Combine(root, c, path)).FirstOrDefault(Directory.Exists);

    /// <summary>Processes and threads of the cgroup and every cgroup below it.</summary>
    private static (int? Processes, int? Threads) Count(string dir, string procsFile, string threadsFile)
    {
        if (!Directory.Exists(dir))
        {
            return (null, null);
        }
        int procs = 0, threads = 0;
        foreach (var d in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).Prepend(dir))
        {
            procs += Lines(Path.Combine(d, procsFile));
            threads += Lines(Path.Combine(d, threadsFile));
        }
        return (procs, threads);
    }

    /// <summary>User and system seconds of the processes now in the cgroup (where no cpuacct cgroup exists).</summary>
    private static (double? User, double? System) ProcessTimes(string memoryDir)
    {
        if (!Directory.Exists(memoryDir))
        {
            return (null, null);
        }
        double user = 0, system = 0;
        foreach (var d in Directory.EnumerateDirectories(memoryDir, "*", SearchOption.AllDirectories).Prepend(memoryDir))
        {
            foreach (var pid in ReadLines(Path.Combine(d, "cgroup.procs")))
            {
                // /proc/PID/stat: fields after the parenthesised name; utime and stime are fields 14 and 15.
                if (ReadText($"/proc/{pid}/stat") is { } stat && stat.LastIndexOf(')') is var close and > 0)
                {
                    var fields = stat[(close + 2)..].Split(' ');
                    if (fields.Length > 12)
                    {
                        user += long.Parse(fields[11], CultureInfo.InvariantCulture) / UserHz;
                        system += long.Parse(fields[12], CultureInfo.InvariantCulture) / UserHz;
                    }
                }
            }
        }
        return (user, system);
    }

    private static Dictionary<string, long>? Keyed(string file)
    {
        var lines = ReadLines(file);
        if (lines.Count == 0)
        {
            return null;
        }
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && long.TryParse(line.AsSpan(space + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            {
                result[line[..space]] = v;
            }
        }
        return result;
    }

    private static long? ReadLong(string file) =>
        ReadText(file) is { } t && long.TryParse(t.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int Lines(string file) => ReadLines(file).Count;

    private static List<string> ReadLines(string file)
    {
        try
        {
            return [.. File.ReadLines(file).Where(l => l.Length > 0)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? ReadText(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
