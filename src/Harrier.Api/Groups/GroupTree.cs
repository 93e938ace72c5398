using Harrier.Core.Apps;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Server.Cluster;

namespace Harrier.Api.Groups;

/// <summary>
/// A set of apps and group nodes indexed by parent, built once per request (or per rendered event) so writing a tree
/// of G groups and A apps costs O(G + A) rather than a scan of every app per group. The source is the live snapshot,
/// a deployment plan's view of the tree, or a stored root group version. Groups that only apps imply (their ancestors,
/// as nested app ids create them like <c>mkdir -p</c>) are children too; apps and child groups come in id order.
/// </summary>
internal sealed class GroupTree
{
    public GroupTree(ClusterSnapshot snapshot)
        : this(snapshot.Apps.Values, snapshot.Groups, sorted: true)
    {
    }

    public GroupTree(IEnumerable<AppSpec> apps, IReadOnlyDictionary<PathId, GroupNode> groups)
        : this(apps, groups, sorted: false)
    {
    }

    private GroupTree(IEnumerable<AppSpec> apps, IReadOnlyDictionary<PathId, GroupNode> groups, bool sorted)
    {
        Nodes = groups;
        var list = apps.ToList();
        if (!sorted)
        {
            list.Sort((a, b) => a.Id.CompareTo(b.Id));
        }
        Apps = list.ToLookup(a => a.Id.Parent);
        var ids = new SortedSet<PathId>();
        foreach (var id in groups.Keys.Concat(list.Select(a => a.Id.Parent)))
        {
            for (var g = id; !g.IsRoot && ids.Add(g); g = g.Parent)
            {
            }
        }
        Groups = ids.ToLookup(g => g.Parent);
        NewestAppVersion = list.Count == 0 ? default : list.Max(a => a.Version);
    }

    /// <summary>The group nodes (a group an app implies may have none).</summary>
    public IReadOnlyDictionary<PathId, GroupNode> Nodes { get; }

    public ILookup<PathId, AppSpec> Apps { get; }

    public ILookup<PathId, PathId> Groups { get; }

    /// <summary>The newest version of any app: the version shown for a group without a node of its own.</summary>
    public Timestamp NewestAppVersion { get; }
}
