namespace Harrier.Linux;

/// <summary>
/// One relative cgroup path across every mounted hierarchy. An OCI runtime creates a container's cgroup in all
/// v1 hierarchies (pids, devices, freezer, …), not only the cpu and memory ones a <see cref="TaskCgroup"/> manages,
/// and removes only the leaf on delete: this finds and removes what it leaves.
/// </summary>
public static class CgroupTree
{
    private const string Root = "/sys/fs/cgroup";

    /// <summary>The mount points of all cgroup hierarchies (v1 and v2) under <c>/sys/fs/cgroup</c>.</summary>
    public static IReadOnlyList<string> Hierarchies() =>
        [.. Mounts.Table()
            .Where(m => m.FsType is "cgroup" or "cgroup2" && (m.MountPoint == Root || m.MountPoint.StartsWith(Root + "/", StringComparison.Ordinal)))
            .Select(m => m.MountPoint)
            .Distinct()];

    /// <summary>Every pid in the cgroup <paramref name="relativePath"/> or below it, in any hierarchy.</summary>
    public static IReadOnlyList<int> Processes(string relativePath)
    {
        var pids = new HashSet<int>();
        foreach (var dir in Existing(relativePath))
        {
            foreach (var procs in Directory.EnumerateFiles(dir, "cgroup.procs", SearchOption.AllDirectories))
            {
                TaskCgroup.ReadPids(procs, pids);
            }
        }
        return [.. pids];
    }

    /// <summary>
    /// SIGKILLs every process in the subtree and removes its directories (deepest first) in every hierarchy.
    /// Returns false when processes remained after <paramref name="timeout"/> or a directory could not be removed.
    /// </summary>
    public static async Task<bool> DestroyAsync(string relativePath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Processes(relativePath) is { Count: > 0 } pids)
        {
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
        var ok = true;
        foreach (var top in Existing(relativePath))
        {
            var dirs = Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(top);
            foreach (var dir in dirs)
            {
                ok &= await RemoveAsync(dir, deadline, cancellationToken);
            }
        }
        return ok;
    }

    /// <summary>
    /// Mounts the v1 hierarchy of <paramref name="controller"/> at <c>/sys/fs/cgroup/NAME</c> unless something is
    /// already mounted there. Returns true when it mounted it.
    /// </summary>
    public static bool EnsureV1Hierarchy(string controller)
    {
        var target = Path.Combine(Root, controller);
        if (Mounts.IsMountPoint(target))
        {
            return false;
        }
        Directory.CreateDirectory(target);
        Mounts.Mount("cgroup", target, "cgroup", controller);
        return true;
    }

    private static IEnumerable<string> Existing(string relativePath) =>
        Hierarchies().Select(h => Path.Combine(h, relativePath.TrimStart('/'))).Where(Directory.Exists);

    private static async Task<bool> RemoveAsync(string dir, long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir);
                }
                return true;
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                // A just-killed process can linger in the cgroup for a moment after leaving cgroup.procs.
                await Task.Delay(20, cancellationToken);
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
