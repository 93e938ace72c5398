using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Harrier.Protocol;

namespace Harrier.Agent;

/// <summary>A status update as checkpointed until it is acknowledged.</summary>
internal sealed record CheckpointedUpdate(Guid UpdateId, TaskState State, long Timestamp, string? Reason, string? Message)
{
    public static CheckpointedUpdate From(TaskStatusUpdate u) => new(u.UpdateId, u.State, u.Timestamp.UnixMilliseconds, u.Reason, u.Message);

    public TaskStatusUpdate ToUpdate(AgentId agentId, TaskId taskId) =>
        new(UpdateId, agentId, taskId, State, new Timestamp(Timestamp), Reason, Message);
}
