namespace Harrier.Drivers;

/// <summary>
/// A started task's identity: the launcher's pid (also its process group and session id), its start time in clock
/// ticks (guards against pid reuse) and its cgroup name, if any.
/// </summary>
public sealed record DriverHandle(int Pid, long StartTime, string? Cgroup = null);
