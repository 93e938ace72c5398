namespace Harrier.Linux;

/// <summary>
/// Where task cgroups live: cgroup v1 (one hierarchy per controller, as on this machine) or v2 (one unified tree,
/// used only when it is the sole hierarchy). Task cgroups are created under one parent (default <c>harrier</c>).
/// </summary>
public sealed class CgroupHierarchy
{
    private readonly string _root;

    private CgroupHierarchy(string root, bool isV2, string? cpuRoot, string? memoryRoot, string parent)
    {
        _root = root;
        IsV2 = isV2;
        CpuRoot = cpuRoot;
        MemoryRoot = memoryRoot;
        Parent = parent;
    }

    public bool IsV2 { get; }

    public string Parent { get; }

    internal string? CpuRoot { get; }

    internal string? MemoryRoot { get; }

    /// <summary>
    /// Detects the hierarchy under <paramref name="root"/>; null when cgroups cannot be used (not root, nothing
    /// mounted, or the cpu/memory controllers are missing). <paramref name="reason"/> says why.
    /// </summary>
    public static CgroupHierarchy? Detect(string parent, out string? reason, string root = "/sys/fs/cgroup")
    {
        if (!UnixUser.IsRoot)
        {
            reason = "the agent is not running as root";
            return null;
        }
        if (File.Exists(Path.Combine(root, "cgroup.controllers")))
        {
            var controllers = File.ReadAllText(Path.Combine(root, "cgroup.controllers")).Split(' ', StringSplitOptions.TrimEntries);
            if (!controllers.Contains("memory") || !controllers.Contains("cpu"))
            {
                reason = "cgroup v2 lacks the cpu or memory controller";
                return null;
            }
            var h = new CgroupHierarchy(root, true, root, root, parent);
            try
            {
                Directory.CreateDirectory(Path.Combine(root, parent));
                EnableControllers(root);
                EnableControllers(Path.Combine(root, parent));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                reason = "cannot prepare cgroup v2 parent: " + e.Message;
                return null;
            }
            reason = null;
            return h;
        }
        var cpu = new[] { "cpu", "cpu,cpuacct", "cpuacct,cpu" }.Select(n => Path.Combine(root, n)).FirstOrDefault(p => File.Exists(Path.Combine(p, "cpu.shares")));
        var memory = Path.Combine(root, "memory");
        if (cpu is null || !File.Exists(Path.Combine(memory, "memory.limit_in_bytes")))
        {
            reason = "no cgroup v1 cpu and memory hierarchies under " + root;
            return null;
        }
        try
        {
            Directory.CreateDirectory(Path.Combine(cpu, parent));
            Directory.CreateDirectory(Path.Combine(memory, parent));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = "cannot create the cgroup parent: " + e.Message;
            return null;
        }
        reason = null;
        return new CgroupHierarchy(root, false, cpu, memory, parent);
    }

    /// <summary>The directories of one task's cgroup (one per controller on v1, a single one on v2).</summary>
    internal IReadOnlyList<string> DirectoriesFor(string name) => IsV2
        ? [Path.Combine(_root, Parent, name)]
        : [Path.Combine(CpuRoot!, Parent, name), Path.Combine(MemoryRoot!, Parent, name)];

    /// <summary>Removes the parent cgroups when they are empty (used by tests with a private parent).</summary>
    public void RemoveParentIfEmpty()
    {
        foreach (var dir in IsV2 ? [Path.Combine(_root, Parent)] : new[] { Path.Combine(CpuRoot!, Parent), Path.Combine(MemoryRoot!, Parent) })
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Not empty or already gone; the parent is shared by design.
            }
        }
    }

    private static void EnableControllers(string dir)
    {
        File.WriteAllText(Path.Combine(dir, "cgroup.subtree_control"), "+cpu +memory");
    }
}
