using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;

namespace Harrier.Server.Cluster;

/// <summary>
/// A live task an agent runs that belongs to no instance this server knows (beyond Marathon, which kills such tasks
/// at once). It is killed at <see cref="KillAt"/>: after the orphan grace period for a task the server never knew
/// (its state may have been restored from an older copy, so an operator gets time to look), at once for a task of an
/// instance this server expunged itself (an unreachable instance that came back too late).
/// </summary>
public sealed record Orphan(TaskId TaskId, AgentId AgentId, TaskState State, Timestamp FirstSeen, Timestamp KillAt)
{
    /// <summary>When the last kill was sent (kills are re-sent until the task is reported terminal).</summary>
    public Timestamp? KillSent { get; init; }

    /// <summary>Never killed automatically: the server was started with <c>--recover-from-agents</c>.</summary>
    public bool Held { get; init; }
}
