namespace Harrier.Linux;

/// <summary>
/// Limits for one task cgroup. <paramref name="CpuShares"/> is the relative weight (cpus × 1024);
/// <paramref name="CpuQuota"/> is in cores (null = no quota); <paramref name="MemoryBytes"/> null = no limit.
/// </summary>
public sealed record CgroupLimits(double CpuShares, double? CpuQuota, long? MemoryBytes);
