using Harrier.Agent.Launch;
using Harrier.Core.Ids;

namespace Harrier.Agent;

/// <summary>What every <see cref="TaskRunner"/> of one agent shares.</summary>
internal sealed record AgentRunContext(
    AgentId AgentId,
    AgentCheckpoint Checkpoint,
    AgentDrivers Drivers,
    LaunchPipeline Pipeline,
    ITaskStatusSender Sender,
    TimeProvider Time,
    Func<Guid> NewId,
    CancellationToken Stopping)
{
    /// <summary>Told when a task's checkpoint cannot be written (the task goes on, or ends as TASK_ERROR before its start).</summary>
    public Action<TaskId, Exception>? CheckpointFailed { get; init; }
}
