using Harrier.Core.Ids;

namespace Harrier.Api.Security;

/// <summary>
/// Who a request is, and what it may do: a name and its grants. With authentication off every request is
/// <see cref="Unrestricted"/> (Marathon's AuthAllowEverything); the principal of <c>--http-credentials</c> is an
/// administrator of everything.
/// </summary>
public sealed class Principal
{
    private static readonly PathGrant Everything = new("/*", AccessAction.Admin);

    public Principal(string name, IReadOnlyList<PathGrant> grants)
    {
        Name = name;
        Grants = grants;
        IsClusterAdmin = grants.Any(g => g.Action == AccessAction.Admin && g.IsPrefix && g.Covers(PathId.Root));
    }

    /// <summary>Every request when authentication is off.</summary>
    public static Principal Unrestricted { get; } = new("anonymous", [Everything]);

    /// <summary>An administrator of everything (the user of <c>--http-credentials</c>).</summary>
    public static Principal Administrator(string name) => new(name, [Everything]);

    public string Name { get; }

    public IReadOnlyList<PathGrant> Grants { get; }

    /// <summary>May use the cluster's own endpoints: agents, images, orphans, metrics, leader, cluster events.</summary>
    public bool IsClusterAdmin { get; }

    /// <summary>True when some grant allows at least <paramref name="action"/> on <paramref name="id"/>.</summary>
    public bool Can(AccessAction action, PathId id)
    {
        foreach (var grant in Grants)
        {
            if (grant.Action >= action && grant.Covers(id))
            {
                return true;
            }
        }
        return false;
    }

    public bool CanRead(PathId id) => Can(AccessAction.Read, id);

    /// <summary>True when the principal may read <paramref name="group"/> or something under it (the group appears,
    /// pruned, in <c>/v2/groups</c>).</summary>
    public bool Reaches(PathId group)
    {
        foreach (var grant in Grants)
        {
            if (grant.Reaches(group))
            {
                return true;
            }
        }
        return false;
    }
}
