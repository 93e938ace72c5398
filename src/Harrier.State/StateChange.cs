using System.Collections.Immutable;
using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;

namespace Harrier.State;

/// <summary>
/// One atomic change. Puts replace the whole record; deletes of missing records are no-ops. Deleting an app
/// removes its current record, not its stored versions (they go when pruned).
/// Every provider applies a change in the same order: all puts (in array order, so a later put of the same key wins),
/// then all deletes. A key both put and deleted in one change is therefore deleted.
/// <see cref="PutGroupVersions"/> are stored versions of the root group (keyed by their version, a later put of the same
/// version wins); the oldest beyond the configured maximum are pruned, as app versions are.
/// </summary>
public sealed record StateChange
{
    public ImmutableArray<AppSpec> PutApps { get; init; } = [];
    public ImmutableArray<PathId> DeleteApps { get; init; } = [];
    public ImmutableArray<GroupNode> PutGroups { get; init; } = [];
    public ImmutableArray<PathId> DeleteGroups { get; init; } = [];
    public ImmutableArray<Instance> PutInstances { get; init; } = [];
    public ImmutableArray<InstanceId> DeleteInstances { get; init; } = [];
    public ImmutableArray<DeploymentPlan> PutDeployments { get; init; } = [];
    public ImmutableArray<DeploymentId> DeleteDeployments { get; init; } = [];
    public ImmutableArray<AgentInfo> PutAgents { get; init; } = [];
    public ImmutableArray<AgentId> DeleteAgents { get; init; } = [];
    public ImmutableArray<RootGroupVersion> PutGroupVersions { get; init; } = [];

    public bool IsEmpty => PutApps.IsEmpty && DeleteApps.IsEmpty && PutGroups.IsEmpty && DeleteGroups.IsEmpty
        && PutInstances.IsEmpty && DeleteInstances.IsEmpty && PutDeployments.IsEmpty && DeleteDeployments.IsEmpty
        && PutAgents.IsEmpty && DeleteAgents.IsEmpty && PutGroupVersions.IsEmpty;

    /// <summary>Concatenates two changes; later puts and deletes of the same key win (last writer).</summary>
    public StateChange Then(StateChange next) => new()
    {
        PutApps = PutApps.AddRange(next.PutApps),
        DeleteApps = DeleteApps.AddRange(next.DeleteApps),
        PutGroups = PutGroups.AddRange(next.PutGroups),
        DeleteGroups = DeleteGroups.AddRange(next.DeleteGroups),
        PutInstances = PutInstances.AddRange(next.PutInstances),
        DeleteInstances = DeleteInstances.AddRange(next.DeleteInstances),
        PutDeployments = PutDeployments.AddRange(next.PutDeployments),
        DeleteDeployments = DeleteDeployments.AddRange(next.DeleteDeployments),
        PutAgents = PutAgents.AddRange(next.PutAgents),
        DeleteAgents = DeleteAgents.AddRange(next.DeleteAgents),
        PutGroupVersions = PutGroupVersions.AddRange(next.PutGroupVersions),
    };
}
