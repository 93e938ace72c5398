using Harrier.Core.Instances;
using Harrier.Drivers;

namespace Harrier.Agent;

/// <summary>
/// Everything the agent must remember about a task across its own restarts: the launch, how to find the running
/// process again, the latest state, whether a kill was requested, and the updates not yet acknowledged.
/// A record without a launch is a placeholder for an update about a task the agent never ran (unknown-task kill).
/// </summary>
internal sealed record CheckpointedTask
{
    public required string TaskId { get; init; }
    public CheckpointedLaunch? Launch { get; init; }
    public DriverHandle? Handle { get; init; }
    public TaskState State { get; init; }
    public string? Message { get; init; }
    public bool KillRequested { get; init; }
    public CheckpointedUpdate[] Unacked { get; init; } = [];
}
