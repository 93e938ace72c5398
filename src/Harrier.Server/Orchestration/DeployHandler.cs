using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Deployments;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Scheduling;
using Harrier.Server.Commands;
using Harrier.Server.Events;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Turns app changes into a new set of apps and a deployment plan (Marathon's group-manager update, §4 step 7):
/// existence checks, locks and <c>force</c>, the running-deployments limit, service ports, version bookkeeping,
/// dependency cycles, plan computation; then applies it to the mutation (apps, implicit groups, the plan).
/// </summary>
internal sealed class DeployHandler(ServerOptions options, Func<Guid> newId)
{
    /// <param name="groups">Group nodes put and removed in the same deployment (a group body); their dependencies order the plan.</param>
    public DeployResult Handle(Mutation m, DeployAppsCommand command, GroupTreeChange? groups = null)
    {
        groups ??= GroupTreeChange.None;
        var snapshot = m.Snapshot;
        var targetGroups = snapshot.Groups.SetItems(groups.Put.Select(g => KeyValuePair.Create(g.Id, g))).RemoveRange(groups.Remove);
        var original = snapshot.Apps;
        var target = original.ToBuilder();
        var created = new List<PathId>();
        var sentenced = new Dictionary<PathId, IReadOnlyList<InstanceId>>();
        var changed = new List<PathId>();

        foreach (var change in command.Changes)
        {
            var exists = original.TryGetValue(change.Id, out var current);
            if (change.Expect == AppExpectation.MustNotExist && exists)
            {
                throw new CommandError(409, $"An app with id [{change.Id}] already exists.");
            }
            if ((change.Expect == AppExpectation.MustExist || change.Delete || change.Restart) && !exists)
            {
                throw new CommandError(404, $"App '{change.Id}' does not exist");
            }
            changed.Add(change.Id);
            if (change.Delete)
            {
                target.Remove(change.Id);
                continue;
            }
            if (change.Restart)
            {
                target[change.Id] = current! with { VersionInfo = current.VersionInfo with { RestartRequested = true } };
                continue;
            }
            var spec = change.Spec ?? throw new CommandError(422, "App Update must have app id set");
            if (!exists)
            {
                CheckIdClashes(snapshot.Apps, targetGroups, spec.Id);
                created.Add(spec.Id);
            }
            target[change.Id] = spec with { VersionInfo = current?.VersionInfo ?? VersionInfo.None };
            if (change.Sentenced is { Count: > 0 } s)
            {
                sentenced[change.Id] = s;
            }
        }

        var affected = changed.Distinct().ToList();
        var affectedSet = affected.ToHashSet();
        var locks = snapshot.Deployments.Where(d => d.AffectedRunSpecs.Any(affectedSet.Contains)).Select(d => d.Id).ToList();
        if (locks.Count > 0 && !command.Force)
        {
            throw new CommandError(
                409,
                $"App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/{locks[0]}'.",
                locks);
        }
        if (snapshot.Deployments.Count - locks.Count >= options.MaxRunningDeployments && !command.DryRun)
        {
            throw new CommandError(
                403,
                $"Max number ({options.MaxRunningDeployments}) of running deployments is achieved. Wait for existing deployments to complete or cancel oneusing force=true parameter. You can use 'force' parameter to cancel existing deployment.");
        }

        // Service ports and versions, in the order the changes came. The ports every app of the original and the
        // target holds are counted once and kept current, so a change of many apps stays linear.
        var held = new Dictionary<int, int>();
        foreach (var app in original.Values.Concat(target.Values))
        {
            Count(held, app, 1);
        }
        foreach (var id in affected.Where(target.ContainsKey))
        {
            var spec = target[id];
            original.TryGetValue(id, out var previous);
            // Held by others: by any app but this one, in either root.
            var own = new Dictionary<int, int>();
            Count(own, previous, 1);
            Count(own, spec, 1);
            var ports = ServicePortAssigner.Assign(spec, previous, p => held.GetValueOrDefault(p) > own.GetValueOrDefault(p), options.ServicePorts);
            if (ports.App is null)
            {
                throw new CommandError(422, ports.Error ?? "Service ports could not be assigned");
            }
            var versioned = VersionBookkeeping.Apply(previous, ports.App, m.Now);
            Count(held, spec, -1);
            Count(held, versioned, 1);
            target[id] = versioned with { VersionInfo = versioned.VersionInfo with { RestartRequested = false } };
        }

        var targetApps = target.ToImmutable();
        // Only the changed apps and what they depend on (transitively) can shape the plan or close a new cycle:
        // the stored root had none. Planning over that subset keeps a deploy's cost independent of cluster size.
        var groupDependencies = targetGroups.Values.Where(g => !g.Dependencies.IsEmpty)
            .ToDictionary(g => g.Id, g => (IReadOnlyList<PathId>)[.. g.Dependencies]);
        var relevant = DependencyClosure(targetApps, affected, groupDependencies);
        var originalSubset = original.Where(kv => relevant.Contains(kv.Key)).ToDictionary();
        var targetSubset = targetApps.Where(kv => relevant.Contains(kv.Key)).ToDictionary();
        if (DeploymentPlanner.HasCycle(targetSubset, groupDependencies))
        {
            throw new CommandError(422, "Dependency graph has cyclic dependencies.");
        }

        var plan = DeploymentPlanner.Plan(new DeploymentId(newId().ToString()), m.Now, originalSubset, targetSubset, sentenced, groupDependencies) with
        {
            Original = new ValueList<AppSpec>(affected.Where(original.ContainsKey).Select(id => original[id])),
            Target = new ValueList<AppSpec>(affected.Where(targetApps.ContainsKey).Select(id => targetApps[id])),
            CurrentStep = 0,
        };
        var result = new DeployResult(plan, [.. affected.Where(targetApps.ContainsKey).Select(id => targetApps[id])], created);
        if (command.DryRun)
        {
            return result;
        }

        foreach (var lockId in locks)
        {
            var cancelled = m.Snapshot.Deployments.First(d => d.Id == lockId);
            m.RemoveDeployment(lockId);
            foreach (var e in DeploymentFailedEvent.Cancelled(m.Now, cancelled))
            {
                m.Emit(e);
            }
            DeploymentReasons.Clear(m, cancelled);
        }
        foreach (var id in affected)
        {
            if (targetApps.TryGetValue(id, out var app))
            {
                if (!original.TryGetValue(id, out var before) || before != app)
                {
                    m.PutApp(app);
                }
                if (before is not null && AppChangeClassifier.Classify(before, app).Class == AppChangeClass.InPlace)
                {
                    ApplyInPlace(m, before, app);
                }
                EnsureGroups(m, id.Parent);
            }
            else if (original.ContainsKey(id))
            {
                m.RemoveApp(id);
            }
        }
        foreach (var group in groups.Put)
        {
            m.PutGroup(group);
        }
        foreach (var group in groups.Remove)
        {
            m.RemoveGroup(group);
        }
        m.PutDeployment(plan);
        m.Emit(new GroupChangeSuccessEvent(m.Now, PathId.Root, m.Now));
        return result;
    }

    /// <summary>
    /// Harrier's in-place update: the running instances carry on under the new version, and when only health-check
    /// thresholds changed their agents get the new checks for the running tasks (each check keeps its state).
    /// </summary>
    private static void ApplyInPlace(Mutation m, AppSpec before, AppSpec app)
    {
        var checksChanged = before.HealthChecks != app.HealthChecks;
        foreach (var instance in m.InstancesOf(app.Id).Where(i => i.Goal == Goal.Running))
        {
            m.PutInstance(instance with { RunSpecVersion = app.Version });
            if (checksChanged && instance.AgentId is { } agent && instance.TaskId is { } taskId && instance.Condition.IsActive())
            {
                m.Send(agent, new UpdateTaskChecksCommand(taskId, Launcher.HealthChecksFor(app, instance.HostPorts)));
            }
        }
    }

    /// <summary>
    /// The affected apps plus every app they depend on, transitively. A dependency names an app, or a group
    /// (every app below it); names that match nothing are ignored, as Marathon ignores them. A group's dependencies
    /// are those of every app below it.
    /// </summary>
    private static HashSet<PathId> DependencyClosure(
        IReadOnlyDictionary<PathId, AppSpec> apps, IEnumerable<PathId> affected, IReadOnlyDictionary<PathId, IReadOnlyList<PathId>> groupDependencies)
    {
        var closure = new HashSet<PathId>(affected);
        var pending = new Stack<PathId>(closure.Where(apps.ContainsKey));
        while (pending.Count > 0)
        {
            var app = apps[pending.Pop()];
            var dependencies = groupDependencies.Count == 0
                ? app.Dependencies
                : app.Dependencies.Concat(groupDependencies.Where(g => g.Key.IsAncestorOf(app.Id)).SelectMany(g => g.Value));
            foreach (var dependency in dependencies)
            {
                var named = apps.ContainsKey(dependency) ? [dependency] : apps.Keys.Where(dependency.IsAncestorOf);
                foreach (var id in named)
                {
                    if (closure.Add(id))
                    {
                        pending.Push(id);
                    }
                }
            }
        }
        return closure;
    }

    private static void Count(Dictionary<int, int> held, AppSpec? app, int delta)
    {
        foreach (var port in app?.ServicePorts ?? [])
        {
            if (port != 0)
            {
                held[port] = held.GetValueOrDefault(port) + delta;
            }
        }
    }

    internal static bool IsTopLevel(PathId group) => !group.IsRoot && group.Parent.IsRoot;

    /// <summary>Apps and groups must not share ids; an app cannot live below another app.</summary>
    private static void CheckIdClashes(IReadOnlyDictionary<PathId, AppSpec> apps, IReadOnlyDictionary<PathId, GroupNode> groups, PathId id)
    {
        if (groups.ContainsKey(id) || apps.Keys.Any(other => id.IsAncestorOf(other)))
        {
            throw new CommandError(422, "Groups and Applications may not have the same identifier.");
        }
        for (var p = id.Parent; !p.IsRoot; p = p.Parent)
        {
            if (apps.ContainsKey(p))
            {
                throw new CommandError(422, "Groups and Applications may not have the same identifier.");
            }
        }
    }

    /// <summary>Creates missing parent groups (like <c>mkdir -p</c>), root included; a new top-level group's
    /// <c>enforceRole</c> is <c>--new_group_enforce_role</c> (§12.3).</summary>
    private void EnsureGroups(Mutation m, PathId groupId)
    {
        for (var g = groupId; ; g = g.Parent)
        {
            if (!m.Snapshot.Groups.ContainsKey(g))
            {
                m.PutGroup(new GroupNode(g, m.Now, EnforceRole: IsTopLevel(g) ? options.NewGroupEnforceRole : null));
            }
            if (g.IsRoot)
            {
                break;
            }
        }
    }
}
