using System.Collections.Immutable;
using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Groups;
using Harrier.Core.Instances;
using Harrier.Core.Resources;

namespace Harrier.State;

/// <summary>The current state as loaded from a store.</summary>
public sealed record ClusterData(
    ImmutableArray<AppSpec> Apps,
    ImmutableArray<GroupNode> Groups,
    ImmutableArray<Instance> Instances,
    ImmutableArray<DeploymentPlan> Deployments,
    ImmutableArray<AgentInfo> Agents)
{
    public static ClusterData Empty { get; } = new([], [], [], [], []);
}
