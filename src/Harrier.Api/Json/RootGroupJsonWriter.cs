using System.Text.Json;
using Harrier.Api.Apps;
using Harrier.Api.Groups;
using Harrier.Api.Security;
using Harrier.Core.Apps;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Api.Json;

/// <summary>
/// A group tree built from a set of app definitions: <c>{id, apps, pods, groups, dependencies, version}</c>, the apps
/// as plain App JSON (no embeds), groups nested by path. This is the <c>original</c> and <c>target</c> of a heavy
/// deployment plan (<c>plan-format=full</c>), where the apps are the plan's view of the tree rather than the live one,
/// and a group as a stored root version had it (<c>GET /v2/groups/{id}/versions/{v}</c>, with <c>enforceRole</c>).
/// Pruned, like <c>GET /v2/groups</c>, to the apps the principal may read and the groups that lead to them.
/// </summary>
internal static class RootGroupJsonWriter
{
    public static void Write(Utf8JsonWriter w, IEnumerable<AppSpec> apps, IReadOnlyDictionary<PathId, GroupNode> groups, Principal principal, Timestamp version) =>
        Write(w, new GroupTree(apps, groups), principal, PathId.Root, version, withEnforceRole: false);

    /// <param name="rootVersion">The root's version, and that of a group without a node or an app of its own.</param>
    public static void Write(Utf8JsonWriter w, GroupTree tree, Principal principal, PathId id, Timestamp rootVersion, bool withEnforceRole)
    {
        tree.Nodes.TryGetValue(id, out var node);
        w.WriteStartObject();
        w.WriteString("id", id.Value);
        w.WriteStartArray("apps");
        foreach (var app in tree.Apps[id].Where(a => principal.CanRead(a.Id)))
        {
            AppJsonWriter.Write(w, app);
        }
        w.WriteEndArray();
        w.WriteStartArray("pods");
        w.WriteEndArray();
        w.WriteStartArray("groups");
        foreach (var child in tree.Groups[id].Where(principal.Reaches))
        {
            Write(w, tree, principal, child, rootVersion, withEnforceRole);
        }
        w.WriteEndArray();
        w.WriteStartArray("dependencies");
        if (node is not null)
        {
            foreach (var dep in node.Dependencies)
            {
                w.WriteStringValue(dep.Value);
            }
        }
        w.WriteEndArray();
        var version = id.IsRoot ? rootVersion : node?.Version ?? (tree.NewestAppVersion == default ? rootVersion : tree.NewestAppVersion);
        w.WriteString("version", version.ToString());
        if (withEnforceRole && node?.EnforceRole is { } enforceRole)
        {
            w.WriteBoolean("enforceRole", enforceRole);
        }
        w.WriteEndObject();
    }
}
