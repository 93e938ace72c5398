using System.Globalization;
using Harrier.Linux;

namespace Harrier.Drivers;

/// <summary>A task's cgroup limits and how a memory-limit kill is reported (Marathon's wording), for every driver.</summary>
internal static class TaskLimits
{
    public static CgroupLimits From(DriverTaskSpec spec)
    {
        var cpuLimit = spec.CpuLimit ?? spec.Cpus;
        var memLimit = spec.MemLimitMiB ?? spec.MemMiB;
        return new CgroupLimits(
            Math.Max(spec.Cpus, 0.001) * 1024,
            double.IsPositiveInfinity(cpuLimit) || cpuLimit <= 0 ? null : cpuLimit,
            double.IsPositiveInfinity(memLimit) || memLimit <= 0 ? null : (long)(memLimit * 1024 * 1024));
    }

    /// <summary>The exit message of a task the OOM killer hit, given the cgroup's limit and the plain exit message.</summary>
    public static string MemoryLimitMessage(long? limitBytes, string exitMessage)
    {
        var requested = limitBytes is { } l ? (l / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + "MB" : "unlimited";
        return $"Memory limit exceeded: Requested: {requested}; the task was killed by the OOM killer ({exitMessage})";
    }
}
