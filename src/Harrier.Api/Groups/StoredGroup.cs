using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Server.Commands;

namespace Harrier.Api.Groups;

/// <summary>
/// A group as a stored root version had it: that version's group nodes and the definitions of the apps below the group
/// (<see cref="Missing"/>: apps the version names whose definition is no longer stored, which retention should never
/// produce, and which a rollback therefore refuses rather than deleting them).
/// </summary>
internal sealed record StoredGroup(PathId Id, RootGroupVersion Root, IReadOnlyList<AppSpec> Apps, IReadOnlyList<PathId> Missing)
{
    public GroupTree Tree() => new(Apps, Root.Groups.ToDictionary(g => g.Id));

    /// <summary>
    /// The group body that puts the group back as it was: its apps and child groups at every level (what is not listed
    /// goes), dependencies as they were. <c>enforceRole</c> is restored only for groups that no longer exist: changing it
    /// on an existing group beside its services is refused (§12.3), and <c>PATCH</c> is the way to change it.
    /// </summary>
    public GroupUpdate ToUpdate(IReadOnlyDictionary<PathId, GroupNode> current)
    {
        var tree = Tree();
        GroupUpdate Build(PathId id)
        {
            tree.Nodes.TryGetValue(id, out var node);
            return new GroupUpdate(id)
            {
                Apps = [.. tree.Apps[id]],
                Groups = [.. tree.Groups[id].Select(Build)],
                Dependencies = [.. node?.Dependencies ?? ValueList<PathId>.Empty],
                EnforceRole = current.ContainsKey(id) ? null : node?.EnforceRole,
            };
        }
        return Build(Id);
    }
}
