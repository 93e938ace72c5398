using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Core.Instances;

/// <summary>
/// One instance of a run spec. The control plane owns the desired side (<see cref="Goal"/>, <see cref="RunSpecVersion"/>,
/// placement); agents' status reports own the observed side (<see cref="Condition"/>, times, health, message).
/// An app instance has at most one task at a time; <see cref="Incarnation"/> counts its launches (0 = never launched).
/// </summary>
public sealed record Instance
{
    public required InstanceId Id { get; init; }
    public required PathId RunSpecId { get; init; }
    /// <summary>The app version (<c>VersionInfo.Version</c>) this instance runs or will run.</summary>
    public required Timestamp RunSpecVersion { get; init; }
    public Goal Goal { get; init; } = Goal.Running;
    public Condition Condition { get; init; } = Condition.Scheduled;
    /// <summary>When the current condition began.</summary>
    public required Timestamp Since { get; init; }
    /// <summary>When the instance became Running for the current incarnation.</summary>
    public Timestamp? ActiveSince { get; init; }
    public AgentId? AgentId { get; init; }
    public string? Host { get; init; }
    public int Incarnation { get; init; }
    public Timestamp? StagedAt { get; init; }
    public Timestamp? StartedAt { get; init; }
    /// <summary>Host ports allocated for the current incarnation, in port declaration order.</summary>
    public ValueList<int> HostPorts { get; init; } = ValueList<int>.Empty;
    public bool? Healthy { get; init; }
    public string Role { get; init; } = "*";
    public string? Message { get; init; }
    /// <summary>Marathon's "unreachable since" — set while the condition is Unreachable(Inactive).</summary>
    public Timestamp? UnreachableSince { get; init; }

    /// <summary>
    /// The container paths of the persistent local volumes reserved for this instance on <see cref="AgentId"/>
    /// (resident apps). Non-empty means the instance holds a reservation: every launch goes back to that agent and
    /// finds the volumes' data there, and expunging the instance destroys them.
    /// </summary>
    public ValueList<string> LocalVolumes { get; init; } = ValueList<string>.Empty;

    /// <summary>The task's addresses on its networks as its agent reported them with TASK_RUNNING (bridge, overlay, CNI);
    /// empty with host networking, where the task's address is its host's.</summary>
    public ValueList<string> IpAddresses { get; init; } = ValueList<string>.Empty;

    /// <summary>True when the instance holds a reservation of persistent volumes on its agent.</summary>
    public bool HoldsReservation => !LocalVolumes.IsEmpty && AgentId is not null;

    public TaskId? TaskId => Incarnation > 0 ? Id.TaskFor(Incarnation) : null;

    public bool IsLaunched => Incarnation > 0 && Condition != Condition.Scheduled;
}
