using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;

namespace Harrier.Protocol;

/// <summary>
/// A task state change reported by an agent. Delivered at least once: the agent resends it until the server's
/// <see cref="AckStatusCommand"/> with the same <see cref="UpdateId"/> arrives, so the server must treat a
/// repeated update id as a no-op. <see cref="Reason"/> uses Mesos reason names
/// (e.g. <c>REASON_CONTAINER_LIMITATION_MEMORY</c> for an OOM kill).
/// </summary>
public sealed record TaskStatusUpdate(
    Guid UpdateId,
    AgentId AgentId,
    TaskId TaskId,
    TaskState State,
    Timestamp Timestamp,
    string? Reason = null,
    string? Message = null,
    bool? Healthy = null)
{
    /// <summary>The task's addresses on its networks (bridge, overlay, CNI), sent with TASK_RUNNING; empty with host
    /// networking, where the task's address is its agent's.</summary>
    public ValueList<string> IpAddresses { get; init; }
}
