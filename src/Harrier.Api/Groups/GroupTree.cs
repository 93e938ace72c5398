using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Server.Cluster;

namespace Harrier.Api.Groups;

/// <summary>One snapshot's apps and group nodes indexed by parent, built once per request so writing a tree of G groups
/// and A apps costs O(G + A) rather than a scan of every app per group.</summary>
internal sealed class GroupTree(ClusterSnapshot snapshot)
{
    public ILookup<PathId, AppSpec> Apps { get; } = snapshot.Apps.Values.ToLookup(a => a.Id.Parent);

    public ILookup<PathId, PathId> Groups { get; } = snapshot.Groups.Keys.Where(g => !g.IsRoot).ToLookup(g => g.Parent);
}
