using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Deployments;
using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Scheduling;

/// <summary>
/// Marathon's plan computation for apps (spec §9.1, <c>DeploymentPlan.apply</c>): one step stopping removed apps (no
/// dependency order — Marathon's docs say otherwise, its code does not), one step "starting" new apps at 0, then one step
/// per longest-dependency-chain length with a Scale or Restart per affected app. Empty steps are dropped.
/// Which changes restart is <see cref="AppChangeClassifier"/>'s call: Harrier's opt-in in-place changes never restart.
/// </summary>
public static class DeploymentPlanner
{
    /// <param name="original">All apps of the original root, by id.</param>
    /// <param name="target">All apps of the target root, by id (after version bookkeeping).</param>
    /// <param name="sentencedToDeath">Instances a kill-and-scale chose, per app (spec §9.6).</param>
    /// <param name="groupDependencies">Group dependencies of the target root, by group id.</param>
    public static DeploymentPlan Plan(
        DeploymentId id,
        Timestamp version,
        IReadOnlyDictionary<PathId, AppSpec> original,
        IReadOnlyDictionary<PathId, AppSpec> target,
        IReadOnlyDictionary<PathId, IReadOnlyList<InstanceId>>? sentencedToDeath = null,
        IReadOnlyDictionary<PathId, IReadOnlyList<PathId>>? groupDependencies = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(target);
        var steps = new List<DeploymentStep>();

        var removed = original.Keys.Where(k => !target.ContainsKey(k)).Order().ToArray();
        AddStep(steps, removed.Select(k => new DeploymentAction(DeploymentActionKind.StopApplication, k)));

        var added = target.Keys.Where(k => !original.ContainsKey(k)).Order().ToArray();
        AddStep(steps, added.Select(k => new DeploymentAction(DeploymentActionKind.StartApplication, k, ScaleTo: 0)));

        var changed = target.Where(kv => original.TryGetValue(kv.Key, out var o) && o != kv.Value).Select(kv => kv.Key).ToHashSet();
        var affectedInTarget = added.Concat(changed).ToHashSet();

        var chains = DependencyGraph.Build(target, groupDependencies).LongestChains();
        foreach (var level in affectedInTarget.GroupBy(k => chains[k]).OrderBy(g => g.Key))
        {
            AddStep(steps, level.Order().Select(k => ActionFor(original.GetValueOrDefault(k), target[k], sentencedToDeath))
                .OfType<DeploymentAction>());
        }

        var affected = removed.Concat(affectedInTarget).ToHashSet();
        return new DeploymentPlan
        {
            Id = id,
            Version = version,
            Original = new ValueList<AppSpec>(original.Where(kv => affected.Contains(kv.Key)).OrderBy(kv => kv.Key).Select(kv => kv.Value)),
            Target = new ValueList<AppSpec>(target.Where(kv => affected.Contains(kv.Key)).OrderBy(kv => kv.Key).Select(kv => kv.Value)),
            Steps = new ValueList<DeploymentStep>(steps),
        };
    }

    /// <summary>True when the apps' dependency graph (apps or groups named as dependencies) has a cycle.</summary>
    public static bool HasCycle(
        IReadOnlyDictionary<PathId, AppSpec> apps, IReadOnlyDictionary<PathId, IReadOnlyList<PathId>>? groupDependencies = null)
    {
        ArgumentNullException.ThrowIfNull(apps);
        return DependencyGraph.Build(apps, groupDependencies).HasCycle();
    }

    private static DeploymentAction? ActionFor(
        AppSpec? original, AppSpec target, IReadOnlyDictionary<PathId, IReadOnlyList<InstanceId>>? sentencedToDeath)
    {
        if (original is null)
        {
            return new DeploymentAction(DeploymentActionKind.ScaleApplication, target.Id, target.Instances);
        }
        var change = AppChangeClassifier.Classify(original, target);
        // Marathon checks "only instances changed" (here also: in-place changes plus instances) before needsRestart.
        var onlyScale = change.Class == AppChangeClass.Scale || (change.Class == AppChangeClass.InPlace && change.InstancesChanged);
        if (onlyScale || target.Instances == 0)
        {
            var sentenced = sentencedToDeath is not null && sentencedToDeath.TryGetValue(target.Id, out var s)
                ? new ValueList<InstanceId>(s)
                : ValueList<InstanceId>.Empty;
            return new DeploymentAction(DeploymentActionKind.ScaleApplication, target.Id, target.Instances, sentenced);
        }
        var restart = change.Class switch
        {
            AppChangeClass.Restart => true,
            // An in-place change moves the version but not lastConfigChangeAt; a restart requested with it does.
            AppChangeClass.InPlace => original.VersionInfo.LastConfigChangeAt != target.VersionInfo.LastConfigChangeAt,
            // Marathon's needsRestart: a versionInfo change alone (POST /restart) restarts.
            _ => original.VersionInfo != target.VersionInfo,
        };
        return restart ? new DeploymentAction(DeploymentActionKind.RestartApplication, target.Id) : null;
    }

    private static void AddStep(List<DeploymentStep> steps, IEnumerable<DeploymentAction> actions)
    {
        var list = new ValueList<DeploymentAction>(actions);
        if (!list.IsEmpty)
        {
            steps.Add(new DeploymentStep(list));
        }
    }
}
