using System.Text.Json;
using Harrier.Api.Apps;
using Harrier.Api.Security;
using Harrier.Core.Apps;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Api.Json;

/// <summary>
/// A whole root group built from a set of app definitions: <c>{id, apps, groups, pods, dependencies, version}</c>, the
/// apps as plain App JSON (no embeds), groups nested by path. This is the <c>original</c> and <c>target</c> of a heavy
/// deployment plan (<c>plan-format=full</c>), where the apps are the plan's view of the tree rather than the live one.
/// Pruned, like <c>GET /v2/groups</c>, to the apps <paramref name="principal"/> may read and the groups that lead to them.
/// </summary>
internal static class RootGroupJsonWriter
{
    public static void Write(Utf8JsonWriter w, IEnumerable<AppSpec> apps, IReadOnlyDictionary<PathId, GroupNode> groups, Principal principal, Timestamp version)
    {
        var appsByGroup = new Dictionary<PathId, List<AppSpec>>();
        var childGroups = new Dictionary<PathId, SortedSet<PathId>>();
        void AddGroup(PathId id)
        {
            // Every ancestor exists, as nested app ids create their groups like mkdir -p.
            while (!id.IsRoot)
            {
                var parent = id.Parent;
                if (!childGroups.TryGetValue(parent, out var children))
                {
                    childGroups[parent] = children = new SortedSet<PathId>();
                }
                if (!children.Add(id))
                {
                    return;
                }
                id = parent;
            }
        }
        foreach (var app in apps.Where(a => principal.CanRead(a.Id)))
        {
            if (!appsByGroup.TryGetValue(app.Id.Parent, out var list))
            {
                appsByGroup[app.Id.Parent] = list = [];
            }
            list.Add(app);
            AddGroup(app.Id.Parent);
        }
        foreach (var id in groups.Keys.Where(g => !g.IsRoot && principal.Reaches(g)))
        {
            AddGroup(id);
        }
        WriteGroup(w, PathId.Root, appsByGroup, childGroups, groups, version);
    }

    private static void WriteGroup(
        Utf8JsonWriter w, PathId id, Dictionary<PathId, List<AppSpec>> appsByGroup, Dictionary<PathId, SortedSet<PathId>> childGroups,
        IReadOnlyDictionary<PathId, GroupNode> groups, Timestamp rootVersion)
    {
        groups.TryGetValue(id, out var node);
        var apps = appsByGroup.GetValueOrDefault(id) ?? [];
        w.WriteStartObject();
        w.WriteString("id", id.Value);
        w.WriteStartArray("apps");
        foreach (var app in apps.OrderBy(a => a.Id))
        {
            AppJsonWriter.Write(w, app);
        }
        w.WriteEndArray();
        w.WriteStartArray("pods");
        w.WriteEndArray();
        w.WriteStartArray("groups");
        foreach (var child in childGroups.GetValueOrDefault(id) ?? [])
        {
            WriteGroup(w, child, appsByGroup, childGroups, groups, rootVersion);
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
        var version = id.IsRoot ? rootVersion : node?.Version ?? apps.Select(a => a.Version).DefaultIfEmpty(rootVersion).Max();
        w.WriteString("version", version.ToString());
        w.WriteEndObject();
    }
}
