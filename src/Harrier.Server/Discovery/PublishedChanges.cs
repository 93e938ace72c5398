using Harrier.Core.Ids;

namespace Harrier.Server.Discovery;

/// <summary>What one published batch changed: the instances, apps and agents it put or removed (a superset of what
/// really changed, never a subset), so an observer updates in proportion to the batch, not to the cluster.</summary>
public sealed record PublishedChanges(IReadOnlySet<InstanceId> Instances, IReadOnlySet<PathId> Apps, IReadOnlySet<AgentId> Agents)
{
    /// <summary>Everything changed: the first snapshot after loading the store.</summary>
    public bool Everything { get; init; }

    public static PublishedChanges All { get; } = new(new HashSet<InstanceId>(), new HashSet<PathId>(), new HashSet<AgentId>()) { Everything = true };
}
