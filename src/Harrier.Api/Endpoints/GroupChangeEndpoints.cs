using System.Text.Json;
using Harrier.Api.Errors;
using Harrier.Api.Groups;
using Harrier.Api.Http;
using Harrier.Api.Json;
using Harrier.Api.Security;
using Harrier.Core.Ids;
using Harrier.Server.Commands;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Harrier.Api.Endpoints;

/// <summary>
/// <c>POST</c>, <c>PUT</c>, <c>PATCH</c> and <c>DELETE</c> on <c>/v2/groups[/{id}]</c> (§2.2, §12): a body is read here
/// and applied by the orchestrator as one deployment (<see cref="DeployGroupCommand"/>). A body needs <c>write</c> on
/// every group and app id it names (all or nothing); the root's own changes need <c>write</c> on <c>/</c>.
/// </summary>
internal static class GroupChangeEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/v2/groups", ["POST", "PUT", "PATCH", "DELETE"], (HttpContext c, ApiServices api) => Dispatch(c, api, PathId.Root));
        routes.MapMethods("/v2/groups/{**id}", ["POST", "PUT", "PATCH", "DELETE"], (HttpContext c, string id, ApiServices api) => Dispatch(c, api, PathId.Parse(id)));
    }

    private static Task Dispatch(HttpContext context, ApiServices api, PathId id) => context.Request.Method switch
    {
        "POST" => Change(context, api, id, create: true),
        "PUT" => Change(context, api, id, create: false),
        "PATCH" => Patch(context, api, id),
        _ => Delete(context, api, id),
    };

    private static async Task Change(HttpContext context, ApiServices api, PathId urlId, bool create)
    {
        var (doc, error) = await RequestBody.ReadAsync(context);
        if (doc is null)
        {
            await JsonResponse.ErrorAsync(context, error!);
            return;
        }
        using (doc)
        {
            var snapshot = api.Orchestrator.Snapshot;
            var read = GroupBodyReader.Read(doc.RootElement, urlId, api.ReadContext, snapshot.Groups, snapshot.Apps, api.Options.NewGroupEnforceRole);
            if (read.Error is not null)
            {
                await JsonResponse.ErrorAsync(context, read.Error);
                return;
            }
            var principal = context.Principal();
            if (!read.Ids().All(i => principal.Can(AccessAction.Write, i)))
            {
                await context.ForbidAsync();
                return;
            }
            var id = read.Update.Id;
            var force = context.Request.Flag("force");
            var dryRun = !create && context.Request.Flag("dryRun");
            ServerCommand command;
            // A POST goes the way a PUT does (Marathon's updateGroup), but only for a group that does not exist yet: a
            // version brings back the group as it was then (deleted since, or 409 if it is there); scaleBy finds
            // nothing to scale (404, or 409 if it is there).
            var operation = create ? GroupOperation.Create : GroupOperation.Update;
            if (read.Version is { } version)
            {
                var rollback = await GroupVersionsEndpoints.RollbackAsync(context, api, id, version);
                if (rollback is null)
                {
                    return;
                }
                // A rollback writes what the version holds and removes what it does not: write on all of it.
                var touched = new GroupBodyRead(rollback, null, null, null).Ids().Concat(snapshot.Apps.Keys.Where(id.IsAncestorOf));
                if (!touched.All(i => principal.Can(AccessAction.Write, i)))
                {
                    await context.ForbidAsync();
                    return;
                }
                command = new DeployGroupCommand(id, operation, force, dryRun) { Update = rollback };
            }
            else if (read.ScaleBy is { } factor)
            {
                command = create
                    ? new DeployGroupCommand(id, GroupOperation.Create, force) { Update = read.Update, ScaleBy = factor }
                    : new DeployGroupCommand(id, GroupOperation.Scale, force, dryRun) { ScaleBy = factor };
            }
            else
            {
                command = new DeployGroupCommand(id, operation, force, dryRun) { Update = read.Update };
            }
            var (result, ok) = await CommandResponses.RunAsync<DeployResult>(context, api, command);
            if (!ok)
            {
                return;
            }
            if (dryRun)
            {
                await JsonResponse.WriteAsync(context, 200, w =>
                {
                    w.WriteStartObject();
                    DeploymentJsonWriter.WriteSteps(w, result!.Plan);
                    w.WriteEndObject();
                });
                return;
            }
            if (create)
            {
                context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}{id}";
            }
            await AppsEndpoints.WriteDeploymentAsync(context, result!, create ? 201 : 200);
        }
    }

    private static async Task Patch(HttpContext context, ApiServices api, PathId id)
    {
        if (!context.Principal().Can(AccessAction.Write, id))
        {
            await context.ForbidAsync();
            return;
        }
        var (doc, error) = await RequestBody.ReadAsync(context);
        if (doc is null)
        {
            await JsonResponse.ErrorAsync(context, error!);
            return;
        }
        using (doc)
        {
            var body = doc.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                await JsonResponse.ErrorAsync(context, ApiError.JsonTypeErrors([new Violation("/", "error.expected.jsobject")]));
                return;
            }
            if (id.IsRoot || !id.Parent.IsRoot)
            {
                await JsonResponse.MessageAsync(context, 422, "Path needs to be top-level");
                return;
            }
            if (body.TryGetProperty("enforceRole", out var enforce) && enforce.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            {
                await JsonResponse.ErrorAsync(context, ApiError.JsonTypeErrors([new Violation("/enforceRole", "error.expected.jsboolean")]));
                return;
            }
            if (enforce.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                if (!api.Orchestrator.Snapshot.Groups.ContainsKey(id))
                {
                    await JsonResponse.MessageAsync(context, 404, $"Group '{id}' does not exist");
                    return;
                }
                context.Response.StatusCode = 200;
                return;
            }
            var (_, ok) = await CommandResponses.RunAsync<object>(context, api, new PatchGroupCommand(id, enforce.GetBoolean()));
            if (ok)
            {
                context.Response.StatusCode = 200;
            }
        }
    }

    private static async Task Delete(HttpContext context, ApiServices api, PathId id)
    {
        if (!context.Principal().Can(AccessAction.Write, id))
        {
            await context.ForbidAsync();
            return;
        }
        var command = new DeployGroupCommand(id, GroupOperation.Delete, context.Request.Flag("force"));
        var (result, ok) = await CommandResponses.RunAsync<DeployResult>(context, api, command);
        if (ok)
        {
            await AppsEndpoints.WriteDeploymentAsync(context, result!, 200);
        }
    }
}
