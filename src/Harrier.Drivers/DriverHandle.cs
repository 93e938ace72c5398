namespace Harrier.Drivers;

/// <summary>
/// A started task's identity as the driver that started it needs it to find the task again after an agent restart.
/// The agent checkpoints it and hands it back unchanged; only <see cref="Driver"/> is read outside drivers (to pick
/// the driver that recovers the task). <see cref="Pid"/> is the process the driver watches (the launcher: also its
/// process group and session id), <see cref="StartTime"/> its start time in clock ticks (guards against pid reuse),
/// <see cref="Cgroup"/> the task's cgroup name, if any, and <see cref="State"/> whatever else the driver keeps
/// (the OCI driver: its container id), opaque to the agent.
/// </summary>
public sealed record DriverHandle(int Pid, long StartTime, string? Cgroup = null, string Driver = "process", string? State = null);
