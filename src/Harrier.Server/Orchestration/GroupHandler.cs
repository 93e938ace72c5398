using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Scheduling;
using Harrier.Server.Commands;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Turns a group command into app changes and group-node puts and removals against the batch's snapshot, then hands
/// them to <see cref="DeployHandler"/> as one deployment (Marathon's <c>UpdateGroupStructureOp</c>, <c>scaleChange</c>,
/// group delete). Apps listed but unchanged are left out, so they neither restart nor take a lock.
/// </summary>
internal sealed class GroupHandler(DeployHandler deploy, ServerOptions options)
{
    public DeployResult Handle(Mutation m, DeployGroupCommand command)
    {
        var snapshot = m.Snapshot;
        var id = command.GroupId;
        var exists = id.IsRoot || snapshot.Groups.ContainsKey(id);
        var changes = new List<AppChange>();
        var put = new List<GroupNode>();
        var remove = new List<PathId>();
        switch (command.Operation)
        {
            case GroupOperation.Create:
                if (exists)
                {
                    throw new CommandError(409, $"Group {id} is already created. Use PUT to change this group.");
                }
                if (snapshot.Apps.ContainsKey(id))
                {
                    throw new CommandError(409, $"An app with the path {id} already exists.");
                }
                // POST with scaleBy: a group that is not there has nothing to scale.
                if (command.ScaleBy is not null)
                {
                    RequireExisting(exists, id);
                }
                Structure(m, Required(command), changes, put, remove);
                break;
            case GroupOperation.Update:
                Structure(m, Required(command), changes, put, remove);
                break;
            case GroupOperation.Scale:
                RequireExisting(exists, id);
                var factor = command.ScaleBy ?? throw new CommandError(422, "scaleBy is required");
                foreach (var app in snapshot.Apps.Values.Where(a => id.IsAncestorOf(a.Id)))
                {
                    var instances = (int)Math.Min(int.MaxValue, Math.Ceiling(app.Instances * factor));
                    if (instances != app.Instances)
                    {
                        changes.Add(new AppChange(app.Id, app with { Instances = instances }));
                    }
                }
                put.Add(Touched(snapshot, id, m.Now));
                break;
            case GroupOperation.Delete:
                RequireExisting(exists, id);
                RemoveSubtree(snapshot, id, changes, remove);
                if (id.IsRoot)
                {
                    put.Add(Touched(snapshot, id, m.Now));
                }
                break;
            default:
                throw new CommandError(400, "Unknown group operation " + command.Operation);
        }
        if (!id.IsRoot && command.Operation != GroupOperation.Delete)
        {
            // The ancestors' versions move with the change, as Marathon's root version does.
            for (var p = id.Parent; ; p = p.Parent)
            {
                put.Add(Touched(snapshot, p, m.Now));
                if (p.IsRoot)
                {
                    break;
                }
            }
        }
        return deploy.Handle(m, new DeployAppsCommand(changes, command.Force, command.DryRun), new GroupTreeChange(put, remove));
    }

    /// <summary><c>PATCH</c>: only <c>enforceRole</c> of an existing top-level group, stored without a deployment.</summary>
    public static object? Patch(Mutation m, PatchGroupCommand command)
    {
        if (!m.Snapshot.Groups.TryGetValue(command.GroupId, out var group))
        {
            throw new CommandError(404, $"Group '{command.GroupId}' does not exist");
        }
        m.PutGroup(group with { EnforceRole = command.EnforceRole, Version = m.Now });
        return null;
    }

    private static GroupUpdate Required(DeployGroupCommand command) =>
        command.Update ?? throw new CommandError(422, "A group body is required");

    private static void RequireExisting(bool exists, PathId id)
    {
        if (!exists)
        {
            throw new CommandError(404, $"Group '{id}' does not exist");
        }
    }

    private GroupNode Touched(Harrier.Server.Cluster.ClusterSnapshot snapshot, PathId id, Core.Time.Timestamp now) =>
        (snapshot.Groups.GetValueOrDefault(id) ?? new GroupNode(id, now, EnforceRole: DeployHandler.IsTopLevel(id) ? options.NewGroupEnforceRole : null)) with { Version = now };

    private void Structure(Mutation m, GroupUpdate update, List<AppChange> changes, List<GroupNode> put, List<PathId> remove)
    {
        var snapshot = m.Snapshot;
        var appsByParent = snapshot.Apps.Values.ToLookup(a => a.Id.Parent);
        var groupsByParent = snapshot.Groups.Keys.Where(g => !g.IsRoot).ToLookup(g => g.Parent);
        var roleChanged = false;
        var pending = new Stack<GroupUpdate>();
        pending.Push(update);
        while (pending.Count > 0)
        {
            var group = pending.Pop();
            if (snapshot.Apps.ContainsKey(group.Id))
            {
                throw new CommandError(422, "Groups and Applications may not have the same identifier.");
            }
            var before = snapshot.Groups.GetValueOrDefault(group.Id);
            var enforceRole = group.EnforceRole ?? before?.EnforceRole ?? (group.Id.Parent.IsRoot && !group.Id.IsRoot ? options.NewGroupEnforceRole : (bool?)null);
            roleChanged |= before is not null && group.EnforceRole is { } wanted && wanted != (before.EnforceRole ?? false);
            put.Add(new GroupNode(
                group.Id,
                m.Now,
                group.Dependencies is { } deps ? new ValueList<PathId>(deps) : before?.Dependencies ?? ValueList<PathId>.Empty,
                enforceRole));
            if (group.Apps is { } apps)
            {
                var listed = apps.Select(a => a.Id).ToHashSet();
                changes.AddRange(appsByParent[group.Id].Where(a => !listed.Contains(a.Id)).Select(a => new AppChange(a.Id, null, Delete: true)));
                foreach (var app in apps)
                {
                    var current = snapshot.Apps.GetValueOrDefault(app.Id);
                    if (current is null || !Unchanged(current, app))
                    {
                        changes.Add(new AppChange(app.Id, app));
                    }
                }
            }
            if (group.Groups is { } children)
            {
                var listed = children.Select(c => c.Id).ToHashSet();
                foreach (var gone in groupsByParent[group.Id].Where(g => !listed.Contains(g)))
                {
                    RemoveSubtree(snapshot, gone, changes, remove);
                }
                foreach (var child in children)
                {
                    pending.Push(child);
                }
            }
        }
        if (roleChanged && changes.Count > 0)
        {
            throw new CommandError(422, "enforceRole cannot be modified in a request that adds, removes or modifies services; please make these changes in separate requests.");
        }
    }

    /// <summary>Every app below <paramref name="id"/> is deleted and every group below it (and itself, unless the root) removed.</summary>
    private static void RemoveSubtree(Harrier.Server.Cluster.ClusterSnapshot snapshot, PathId id, List<AppChange> changes, List<PathId> remove)
    {
        changes.AddRange(snapshot.Apps.Keys.Where(id.IsAncestorOf).Select(a => new AppChange(a, null, Delete: true)));
        remove.AddRange(snapshot.Groups.Keys.Where(g => id.IsAncestorOf(g)));
        if (!id.IsRoot)
        {
            remove.Add(id);
        }
    }

    /// <summary>
    /// True when a full definition from a group body changes nothing Marathon acts on. A service port given as 0 (a port
    /// definition's <c>port</c>, a port mapping's <c>servicePort</c>) keeps the one already assigned, so a body sent
    /// again as it was written is unchanged.
    /// </summary>
    private static bool Unchanged(AppSpec current, AppSpec body)
    {
        var candidate = body with { VersionInfo = current.VersionInfo };
        if (candidate.PortDefinitions.Count == current.PortDefinitions.Count && candidate.PortDefinitions.Any(p => p.Port == 0))
        {
            candidate = candidate with
            {
                PortDefinitions = new ValueList<PortDefinition>(candidate.PortDefinitions.Select((p, i) => p.Port == 0 ? p with { Port = current.PortDefinitions[i].Port } : p)),
            };
        }
        if (candidate.Container is { } container && current.Container is { } was
            && container.PortMappings.Count == was.PortMappings.Count && container.PortMappings.Any(p => p.ServicePort == 0))
        {
            candidate = candidate with
            {
                Container = container with
                {
                    PortMappings = new ValueList<PortMapping>(container.PortMappings.Select((p, i) => p.ServicePort == 0 ? p with { ServicePort = was.PortMappings[i].ServicePort } : p)),
                },
            };
        }
        var change = AppChangeClassifier.Classify(current, candidate);
        return change.Class == AppChangeClass.None && !change.InstancesChanged;
    }
}
