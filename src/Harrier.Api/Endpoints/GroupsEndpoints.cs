using System.Text.Json;
using Harrier.Api.Groups;
using Harrier.Api.Http;
using Harrier.Api.Json;
using Harrier.Api.Security;
using Harrier.Core.Ids;
using Harrier.Server.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Harrier.Api.Endpoints;

/// <summary>
/// <c>GET /v2/groups[/{id}]</c>: the group tree (nodes that group bodies and nested app ids create), pruned to what the
/// principal may read. Apps inside carry no counts unless <c>embed=group.apps.counts</c> (§2.2). Changes are in
/// <see cref="GroupChangeEndpoints"/>, versions in <see cref="GroupVersionsEndpoints"/>.
/// </summary>
internal static class GroupsEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2/groups", (HttpContext context, ApiServices api) => Get(context, api, PathId.Root));
        routes.MapGet("/v2/groups/{**id}", (HttpContext context, string id, ApiServices api) =>
            GroupVersionsEndpoints.TryDispatch(context, api, id) ?? Get(context, api, PathId.Parse(id)));
        GroupChangeEndpoints.Map(routes);
    }

    private static async Task Get(HttpContext context, ApiServices api, PathId id)
    {
        var snapshot = api.Orchestrator.Snapshot;
        var principal = context.Principal();
        if (!principal.Reaches(id))
        {
            await context.ForbidAsync();
            return;
        }
        if (!id.IsRoot && !snapshot.Groups.ContainsKey(id))
        {
            await JsonResponse.MessageAsync(context, 404, $"Group '{id}' does not exist");
            return;
        }
        var embeds = context.Request.Embeds();
        var appEmbeds = AppEmbeds.Parse(embeds.Where(e => e.StartsWith("group.apps.", StringComparison.Ordinal)), AppEmbeds.None);
        var withApps = embeds.Count == 0 || embeds.Any(e => e.StartsWith("group.apps", StringComparison.Ordinal));
        var withGroups = embeds.Count == 0 || embeds.Contains("group.groups");
        var tree = new GroupTree(snapshot);
        await JsonResponse.WriteAsync(context, 200, w => WriteGroup(w, snapshot, tree, principal, id, withApps, withGroups, appEmbeds));
    }

    /// <summary>Writes the group pruned to what <paramref name="principal"/> may read: its apps, and the child groups that hold something it may read.</summary>
    private static void WriteGroup(Utf8JsonWriter w, ClusterSnapshot snapshot, GroupTree tree, Principal principal, PathId id, bool withApps, bool withGroups, AppEmbeds embeds)
    {
        w.WriteStartObject();
        w.WriteString("id", id.Value);
        w.WriteStartArray("apps");
        if (withApps)
        {
            foreach (var app in tree.Apps[id].Where(a => principal.CanRead(a.Id)))
            {
                AppInfoWriter.Write(w, app, snapshot, embeds);
            }
        }
        w.WriteEndArray();
        w.WriteStartArray("pods");
        w.WriteEndArray();
        w.WriteStartArray("groups");
        if (withGroups)
        {
            foreach (var child in tree.Groups[id].Where(principal.Reaches))
            {
                WriteGroup(w, snapshot, tree, principal, child, withApps, withGroups, embeds);
            }
        }
        w.WriteEndArray();
        w.WriteStartArray("dependencies");
        if (snapshot.Groups.TryGetValue(id, out var node))
        {
            foreach (var dep in node.Dependencies)
            {
                w.WriteStringValue(dep.Value);
            }
        }
        w.WriteEndArray();
        var version = node?.Version ?? tree.NewestAppVersion;
        w.WriteString("version", version.ToString());
        if (node?.EnforceRole is { } enforceRole)
        {
            w.WriteBoolean("enforceRole", enforceRole);
        }
        w.WriteEndObject();
    }
}
