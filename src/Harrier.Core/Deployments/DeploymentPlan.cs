using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Core.Deployments;

/// <summary>
/// A deployment plan as data (Marathon's <c>DeploymentPlan</c>). <see cref="Original"/> and <see cref="Target"/> hold
/// the affected run specs before and after the change (absent = did not exist / removed), which is what a rollback
/// and a restarted server need. <see cref="CurrentStep"/> is 0 before the first step starts, then 1-based.
/// </summary>
public sealed record DeploymentPlan
{
    public required DeploymentId Id { get; init; }
    public required Timestamp Version { get; init; }
    public ValueList<AppSpec> Original { get; init; } = ValueList<AppSpec>.Empty;
    public ValueList<AppSpec> Target { get; init; } = ValueList<AppSpec>.Empty;
    public ValueList<DeploymentStep> Steps { get; init; } = ValueList<DeploymentStep>.Empty;
    public int CurrentStep { get; init; }

    public IEnumerable<PathId> AffectedRunSpecs =>
        Original.Select(a => a.Id).Concat(Target.Select(a => a.Id)).Distinct().Order();

    public AppSpec? TargetOf(PathId id) => Target.FirstOrDefault(a => a.Id == id);

    public AppSpec? OriginalOf(PathId id) => Original.FirstOrDefault(a => a.Id == id);
}
