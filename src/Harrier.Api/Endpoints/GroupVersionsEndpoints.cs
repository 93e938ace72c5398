using Harrier.Api.Groups;
using Harrier.Api.Http;
using Harrier.Api.Json;
using Harrier.Api.Security;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Server.Commands;
using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Endpoints;

/// <summary>
/// <c>GET /v2/groups[/{id}]/versions[/{version}]</c> and the rollback of <c>PUT {"version":ts}</c>, served from the
/// root group versions the store keeps with every change of apps or groups (<see cref="StoredGroupVersions"/>, capped
/// at <c>--max-versions</c>): a group's versions are the root versions that held it, and the group "as of" a version is
/// what that root held, so apps and groups deleted since come back with a rollback.
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
        var versions = await StoredGroupVersions.ListAsync(api.Store, id, context.RequestAborted);
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
        var principal = context.Principal();
        var group = Timestamp.TryParse(raw, out var version)
            ? await StoredGroupVersions.LoadAsync(api.Store, id, version, principal.CanRead, context.RequestAborted)
            : null;
        if (group is null)
        {
            await JsonResponse.MessageAsync(context, 404, $"Group '{id}' does not exist in version {raw}");
            return;
        }
        var tree = group.Tree();
        await JsonResponse.WriteAsync(context, 200, w => RootGroupJsonWriter.Write(w, tree, principal, id, version, withEnforceRole: true));
    }

    /// <summary>
    /// The group body that puts <paramref name="id"/> back as root version <paramref name="version"/> had it (apps and
    /// groups deleted since included); writes a 422 and returns null when that version did not hold the group.
    /// </summary>
    public static async Task<GroupUpdate?> RollbackAsync(HttpContext context, ApiServices api, PathId id, Timestamp version)
    {
        var group = await StoredGroupVersions.LoadAsync(api.Store, id, version, _ => true, context.RequestAborted);
        if (group is null)
        {
            await JsonResponse.MessageAsync(context, 422, $"Group {id} does not exist in version {version}");
            return null;
        }
        if (group.Missing.Count > 0)
        {
            await JsonResponse.MessageAsync(context, 422, $"Group {id} cannot be restored to version {version}: the definition of {group.Missing[0]} in it is no longer stored");
            return null;
        }
        return group.ToUpdate(api.Orchestrator.Snapshot.Groups);
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
}
