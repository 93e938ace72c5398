using System.Text.Json;
using Harrier.Api.Apps;
using Harrier.Api.Http;
using Harrier.Api.Security;
using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Server.Commands;
using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Endpoints;

/// <summary>
/// <c>GET /v2/groups[/{id}]/versions[/{version}]</c> and the rollback of <c>PUT {"version":ts}</c>. Harrier keeps no
/// copy of the whole tree per change (one record per group node, versions per app), so a group's versions are those of
/// the apps now below it plus the node's own, and the group "as of" a version is each of those apps at its newest
/// version not after it. Apps deleted since are therefore not brought back by a rollback.
/// </summary>
internal static class GroupVersionsEndpoints
{
    /// <summary>The versions routes (the GET catch-all sees them first); null when <paramref name="raw"/> is a plain group id.</summary>
    public static Task? TryDispatch(HttpContext context, ApiServices api, string raw)
    {
        var segments = raw.Trim('/').Split('/');
        if (segments[^1] == "versions")
        {
            return List(context, api, PathId.FromSegments(segments[..^1]));
        }
        if (segments.Length >= 2 && segments[^2] == "versions")
        {
            return One(context, api, PathId.FromSegments(segments[..^2]), segments[^1]);
        }
        return null;
    }

    private static async Task List(HttpContext context, ApiServices api, PathId id)
    {
        if (!await CheckAsync(context, api, id))
        {
            return;
        }
        var versions = await VersionsAsync(context, api, id);
        await JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartArray();
            foreach (var v in versions)
            {
                w.WriteStringValue(v.ToString());
            }
            w.WriteEndArray();
        });
    }

    private static async Task One(HttpContext context, ApiServices api, PathId id, string raw)
    {
        if (!await CheckAsync(context, api, id))
        {
            return;
        }
        if (!Timestamp.TryParse(raw, out var version) || !(await VersionsAsync(context, api, id)).Contains(version))
        {
            await JsonResponse.MessageAsync(context, 404, $"Group '{id}' does not exist in version {raw}");
            return;
        }
        var principal = context.Principal();
        var apps = (await AsOfAsync(context, api, id, version)).Where(a => a.Value is not null && principal.CanRead(a.Key)).Select(a => a.Value!).ToList();
        var groups = api.Orchestrator.Snapshot.Groups;
        await JsonResponse.WriteAsync(context, 200, w => WriteTree(w, id, version, apps, groups));
    }

    /// <summary>The app changes that put the group back as it was at <paramref name="version"/>; writes a 404 and returns null when unknown.</summary>
    public static async Task<IReadOnlyList<AppChange>?> RollbackChangesAsync(HttpContext context, ApiServices api, PathId id, Timestamp version)
    {
        if (!id.IsRoot && !api.Orchestrator.Snapshot.Groups.ContainsKey(id))
        {
            await JsonResponse.MessageAsync(context, 404, $"Group '{id}' does not exist");
            return null;
        }
        if (!(await VersionsAsync(context, api, id)).Contains(version))
        {
            await JsonResponse.MessageAsync(context, 422, $"Group {id} does not exist in version {version}");
            return null;
        }
        var current = api.Orchestrator.Snapshot.Apps;
        var changes = new List<AppChange>();
        foreach (var (appId, then) in await AsOfAsync(context, api, id, version))
        {
            var now = current.GetValueOrDefault(appId);
            if (then is null)
            {
                changes.Add(new AppChange(appId, null, Delete: true));
            }
            else if (now is null || now.VersionInfo.Version != then.VersionInfo.Version)
            {
                changes.Add(new AppChange(appId, then with { VersionInfo = now?.VersionInfo ?? then.VersionInfo }));
            }
        }
        return changes;
    }

    private static async Task<bool> CheckAsync(HttpContext context, ApiServices api, PathId id)
    {
        if (!context.Principal().Reaches(id))
        {
            await context.ForbidAsync();
            return false;
        }
        if (!id.IsRoot && !api.Orchestrator.Snapshot.Groups.ContainsKey(id))
        {
            await JsonResponse.MessageAsync(context, 404, $"Group '{id}' does not exist");
            return false;
        }
        return true;
    }

    /// <summary>Newest first: the versions of every app below the group, and the group node's own.</summary>
    private static async Task<List<Timestamp>> VersionsAsync(HttpContext context, ApiServices api, PathId id)
    {
        var snapshot = api.Orchestrator.Snapshot;
        var all = new HashSet<Timestamp>();
        if (snapshot.Groups.TryGetValue(id, out var node))
        {
            all.Add(node.Version);
        }
        foreach (var appId in snapshot.Apps.Keys.Where(id.IsAncestorOf))
        {
            all.UnionWith(await api.Store.ListAppVersionsAsync(appId, context.RequestAborted));
        }
        return [.. all.OrderDescending()];
    }

    /// <summary>Each app now below the group at its newest version not after <paramref name="version"/> (null: it did not exist yet).</summary>
    private static async Task<List<KeyValuePair<PathId, AppSpec?>>> AsOfAsync(HttpContext context, ApiServices api, PathId id, Timestamp version)
    {
        var result = new List<KeyValuePair<PathId, AppSpec?>>();
        foreach (var appId in api.Orchestrator.Snapshot.Apps.Keys.Where(id.IsAncestorOf))
        {
            var versions = await api.Store.ListAppVersionsAsync(appId, context.RequestAborted);
            AppSpec? then = null;
            if (versions.Where(v => v <= version).DefaultIfEmpty().Max() is var at && versions.Contains(at))
            {
                then = await api.Store.GetAppVersionAsync(appId, at, context.RequestAborted);
            }
            result.Add(KeyValuePair.Create(appId, then));
        }
        return result;
    }

    private static void WriteTree(Utf8JsonWriter w, PathId id, Timestamp version, IReadOnlyList<AppSpec> apps, IReadOnlyDictionary<PathId, Core.Groups.GroupNode> groups)
    {
        w.WriteStartObject();
        w.WriteString("id", id.Value);
        w.WriteStartArray("apps");
        foreach (var app in apps.Where(a => a.Id.Parent == id))
        {
            AppJsonWriter.Write(w, app);
        }
        w.WriteEndArray();
        w.WriteStartArray("pods");
        w.WriteEndArray();
        w.WriteStartArray("groups");
        foreach (var child in apps.Where(a => a.Id.Parent != id).Select(a => ChildOf(id, a.Id)).Distinct().Order())
        {
            WriteTree(w, child, version, [.. apps.Where(a => child.IsAncestorOf(a.Id))], groups);
        }
        w.WriteEndArray();
        w.WriteStartArray("dependencies");
        foreach (var dep in groups.GetValueOrDefault(id)?.Dependencies ?? Core.Collections.ValueList<PathId>.Empty)
        {
            w.WriteStringValue(dep.Value);
        }
        w.WriteEndArray();
        w.WriteString("version", version.ToString());
        w.WriteEndObject();
    }

    private static PathId ChildOf(PathId group, PathId descendant) =>
        PathId.FromSegments(descendant.Segments.Take(group.Segments.Count + 1));
}
