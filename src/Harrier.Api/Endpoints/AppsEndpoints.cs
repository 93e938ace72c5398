using System.Text.Json;
using Harrier.Api.Apps;
using Harrier.Api.Errors;
using Harrier.Api.Http;
using Harrier.Api.Json;
using Harrier.Api.Security;
using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Server.Commands;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Harrier.Api.Endpoints;

/// <summary><c>/v2/apps</c> and <c>/v2/apps/{id}</c> (§2.1): list, create, update (partial by default), delete, restart.</summary>
internal static class AppsEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2/apps", List);
        routes.MapPost("/v2/apps", Create);
        routes.MapPut("/v2/apps", (HttpContext c, ApiServices api) => UpdateMany(c, api, allowCreate: true));
        routes.MapMethods("/v2/apps", ["PATCH"], (HttpContext c, ApiServices api) => UpdateMany(c, api, allowCreate: false));
        routes.MapMethods("/v2/apps/{**rest}", ["GET", "PUT", "PATCH", "DELETE", "POST"], Dispatch);
    }

    private static Task Dispatch(HttpContext context, string rest, ApiServices api)
    {
        var route = AppRoute.Parse(rest);
        var method = context.Request.Method;
        return (route.Kind, method) switch
        {
            (AppRouteKind.App, "GET") => Get(context, api, route.Id),
            (AppRouteKind.App, "PUT") => Update(context, api, route.Id, partial: context.Request.Flag("partialUpdate", true), allowCreate: true),
            (AppRouteKind.App, "PATCH") => Update(context, api, route.Id, partial: true, allowCreate: false),
            (AppRouteKind.App, "DELETE") => Delete(context, api, route.Id),
            (AppRouteKind.Restart, "POST") => Restart(context, api, route.Id),
            (AppRouteKind.Versions, "GET") => Versions(context, api, route.Id),
            (AppRouteKind.Version, "GET") => Version(context, api, route.Id, route.Extra!),
            (AppRouteKind.GroupApps, "GET") => GroupApps(context, api, route.Id),
            (AppRouteKind.Tasks or AppRouteKind.GroupTasks or AppRouteKind.Task or AppRouteKind.TaskLogs, _) => AppTasksEndpoints.Dispatch(context, api, route),
            _ => JsonResponse.MessageAsync(context, 405, "Method Not Allowed"),
        };
    }

    private static async Task List(HttpContext context, ApiServices api)
    {
        var snapshot = api.Orchestrator.Snapshot;
        var embeds = AppEmbeds.Parse(context.Request.Embeds(), AppEmbeds.None with { Counts = true, Deployments = true }) with { Extensions = WireFormat.Of(context.Request).Extensions };
        var cmd = context.Request.Query["cmd"].ToString();
        var id = context.Request.Query["id"].ToString();
        var labelQuery = context.Request.Query["label"].ToString();
        LabelSelector? selector = null;
        if (!string.IsNullOrEmpty(labelQuery))
        {
            var (parsed, error) = LabelSelector.Parse(labelQuery);
            if (parsed is null)
            {
                await JsonResponse.MessageAsync(context, 422, error!);
                return;
            }
            selector = parsed;
        }
        var principal = context.Principal();
        IEnumerable<AppSpec> apps = snapshot.Apps.Values.Where(a => principal.CanRead(a.Id));
        if (!string.IsNullOrEmpty(cmd))
        {
            apps = apps.Where(a => a.Cmd?.Contains(cmd, StringComparison.OrdinalIgnoreCase) == true);
        }
        if (!string.IsNullOrEmpty(id))
        {
            apps = apps.Where(a => a.Id.Value.Contains(id, StringComparison.OrdinalIgnoreCase));
        }
        if (selector is not null)
        {
            apps = apps.Where(a => selector.Matches(a.Labels));
        }
        await JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("apps");
            foreach (var app in apps)
            {
                AppInfoWriter.Write(w, app, snapshot, embeds);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task Get(HttpContext context, ApiServices api, PathId id)
    {
        var snapshot = api.Orchestrator.Snapshot;
        if (!snapshot.Apps.TryGetValue(id, out var app))
        {
            await JsonResponse.MessageAsync(context, 404, $"App '{id}' does not exist");
            return;
        }
        var embeds = AppEmbeds.Parse(context.Request.Embeds(), new AppEmbeds(true, true, true, false, true, false)) with { Extensions = WireFormat.Of(context.Request).Extensions };
        await JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("app");
            AppInfoWriter.Write(w, app, snapshot, embeds);
            w.WriteEndObject();
        });
    }

    private static async Task GroupApps(HttpContext context, ApiServices api, PathId group)
    {
        var snapshot = api.Orchestrator.Snapshot;
        var principal = context.Principal();
        if (!principal.Reaches(group))
        {
            await context.ForbidAsync();
            return;
        }
        if (!group.IsRoot && !snapshot.Groups.ContainsKey(group))
        {
            await JsonResponse.MessageAsync(context, 404, $"Group '{group}' does not exist");
            return;
        }
        var embeds = AppEmbeds.Parse(context.Request.Embeds(), new AppEmbeds(true, true, true, false, true, false)) with { Extensions = WireFormat.Of(context.Request).Extensions };
        await JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("*");
            foreach (var app in snapshot.Apps.Values.Where(a => group.IsAncestorOf(a.Id) && principal.CanRead(a.Id)))
            {
                AppInfoWriter.Write(w, app, snapshot, embeds);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task Create(HttpContext context, ApiServices api)
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
            var roles = ServiceRoles.ForApp(api.ReadContext, doc.RootElement, null, snapshot.Groups, snapshot.Apps, api.Options.NewGroupEnforceRole);
            var read = AppDefinitionReader.ReadApp(doc.RootElement, null, roles.Context);
            if (read is not AppReadOk ok)
            {
                await JsonResponse.ErrorAsync(context, Failure(read));
                return;
            }
            if (ServiceRoles.Check(ok.App.Role, roles.Valid, "/role") is { } badRole)
            {
                await JsonResponse.ErrorAsync(context, ApiError.ValidationFailed([badRole]));
                return;
            }
            if (!context.Principal().Can(AccessAction.Write, ok.App.Id))
            {
                await context.ForbidAsync();
                return;
            }
            var dryRun = context.Request.Flag("dryRun");
            var command = new DeployAppsCommand([new AppChange(ok.App.Id, ok.App, Expect: AppExpectation.MustNotExist)], context.Request.Flag("force"), dryRun);
            var (result, success) = await CommandResponses.RunAsync<DeployResult>(context, api, command);
            if (!success)
            {
                return;
            }
            if (dryRun)
            {
                await WriteDryRunAsync(context, result!);
                return;
            }
            var app = result!.Apps[0];
            api.PublishApiPost(context, app);
            context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}{app.Id}";
            context.Response.Headers["Marathon-Deployment-Id"] = result.Plan.Id.Value;
            await JsonResponse.WriteAsync(context, 201, w =>
            {
                w.WriteStartObject();
                AppJsonWriter.WriteFields(w, app);
                w.WriteNumber("tasksStaged", 0);
                w.WriteNumber("tasksRunning", 0);
                w.WriteNumber("tasksHealthy", 0);
                w.WriteNumber("tasksUnhealthy", 0);
                w.WriteStartArray("deployments");
                w.WriteStartObject();
                w.WriteString("id", result.Plan.Id.Value);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
    }

    private static async Task Update(HttpContext context, ApiServices api, PathId id, bool partial, bool allowCreate)
    {
        var (doc, error) = await RequestBody.ReadAsync(context);
        if (doc is null)
        {
            await JsonResponse.ErrorAsync(context, error!);
            return;
        }
        using (doc)
        {
            var change = await ReadChangeAsync(context, api, doc.RootElement, id, partial, allowCreate);
            if (change is null)
            {
                return;
            }
            var dryRun = context.Request.Flag("dryRun");
            var (result, ok) = await CommandResponses.RunAsync<DeployResult>(context, api, new DeployAppsCommand([change], context.Request.Flag("force"), dryRun));
            if (!ok)
            {
                return;
            }
            if (dryRun)
            {
                await WriteDryRunAsync(context, result!);
                return;
            }
            var created = result!.Created.Contains(id);
            if (result.Apps.Count == 1)
            {
                api.PublishApiPost(context, result.Apps[0]);
            }
            if (created)
            {
                context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}{id}";
            }
            await WriteDeploymentAsync(context, result, created ? 201 : 200);
        }
    }

    private static async Task UpdateMany(HttpContext context, ApiServices api, bool allowCreate)
    {
        var (doc, error) = await RequestBody.ReadAsync(context);
        if (doc is null)
        {
            await JsonResponse.ErrorAsync(context, error!);
            return;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                await JsonResponse.ErrorAsync(context, new ApiError(422, "Invalid JSON", new System.Text.Json.Nodes.JsonArray(
                    new System.Text.Json.Nodes.JsonObject { ["path"] = "/", ["errors"] = new System.Text.Json.Nodes.JsonArray("error.expected.jsarray") })));
                return;
            }
            var partial = context.Request.Flag("partialUpdate", true);
            var changes = new List<AppChange>();
            var index = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
                {
                    await JsonResponse.MessageAsync(context, 422, $"App Update must have app id set (element {index})");
                    return;
                }
                var changeId = PathId.Parse(idElement.GetString()!);
                if (!context.Principal().Can(AccessAction.Write, changeId))
                {
                    await context.ForbidAsync();
                    return;
                }
                var change = await ReadChangeAsync(context, api, element, changeId, partial, allowCreate);
                if (change is null)
                {
                    return;
                }
                changes.Add(change);
                index++;
            }
            var dryRun = context.Request.Flag("dryRun");
            var (result, ok) = await CommandResponses.RunAsync<DeployResult>(context, api, new DeployAppsCommand(changes, context.Request.Flag("force"), dryRun));
            if (ok && dryRun)
            {
                await WriteDryRunAsync(context, result!);
            }
            else if (ok)
            {
                await WriteDeploymentAsync(context, result!, 200);
            }
        }
    }

    /// <summary>
    /// Reads one app update (PUT/PATCH, single or array element) against the current app: 404 when it must exist,
    /// the id check when it will be created, partial or full reading. Writes the error and returns null on failure.
    /// </summary>
    private static async Task<AppChange?> ReadChangeAsync(HttpContext context, ApiServices api, JsonElement body, PathId id, bool partial, bool allowCreate)
    {
        var existing = api.Orchestrator.Snapshot.Apps.GetValueOrDefault(id);
        if (existing is null && !allowCreate)
        {
            await JsonResponse.MessageAsync(context, 404, $"App '{id}' does not exist");
            return null;
        }
        if (existing is null && UrlIdGuard.Check(id) is { } badId)
        {
            await JsonResponse.ErrorAsync(context, badId);
            return null;
        }
        var snapshot = api.Orchestrator.Snapshot;
        var roles = ServiceRoles.ForApp(api.ReadContext, body, id, snapshot.Groups, snapshot.Apps, api.Options.NewGroupEnforceRole);
        var read = partial || existing is null
            ? AppDefinitionReader.ReadUpdate(body, id, existing, roles.Context)
            : AppDefinitionReader.ReadApp(body, id, roles.Context);
        if (read is AppReadOk ok && ServiceRoles.Check(ok.App.Role, roles.Valid, "/role") is { } badRole)
        {
            await JsonResponse.ErrorAsync(context, ApiError.ValidationFailed([badRole]));
            return null;
        }
        return await ToChangeAsync(context, api, read, id, existing, allowCreate ? AppExpectation.Any : AppExpectation.MustExist);
    }

    /// <summary>Turns a read result into a change; writes the error response and returns null on failure.</summary>
    private static async Task<AppChange?> ToChangeAsync(HttpContext context, ApiServices api, AppReadResult read, PathId id, AppSpec? existing, AppExpectation expect)
    {
        switch (read)
        {
            case AppReadOk ok:
                return new AppChange(id, ok.App with { Id = id }, Expect: expect);
            case AppReadRollback rollback:
                var version = await api.Store.GetAppVersionAsync(id, rollback.Version, context.RequestAborted);
                if (version is null)
                {
                    await JsonResponse.MessageAsync(context, 404, $"App '{id}' does not exist in version {rollback.Version}");
                    return null;
                }
                return new AppChange(id, version with { VersionInfo = existing?.VersionInfo ?? version.VersionInfo }, Expect: expect);
            default:
                await JsonResponse.ErrorAsync(context, Failure(read));
                return null;
        }
    }

    private static async Task Delete(HttpContext context, ApiServices api, PathId id)
    {
        var command = new DeployAppsCommand([new AppChange(id, null, Delete: true)], context.Request.Flag("force", true));
        var (result, ok) = await CommandResponses.RunAsync<DeployResult>(context, api, command);
        if (ok)
        {
            await WriteDeploymentAsync(context, result!, 200);
        }
    }

    private static async Task Restart(HttpContext context, ApiServices api, PathId id)
    {
        var command = new DeployAppsCommand([new AppChange(id, null, Restart: true)], context.Request.Flag("force"));
        var (result, ok) = await CommandResponses.RunAsync<DeployResult>(context, api, command);
        if (ok)
        {
            await WriteDeploymentAsync(context, result!, 200);
        }
    }

    private static async Task Versions(HttpContext context, ApiServices api, PathId id)
    {
        var versions = await api.Store.ListAppVersionsAsync(id, context.RequestAborted);
        if (versions.Count == 0 && !api.Orchestrator.Snapshot.Apps.ContainsKey(id))
        {
            await JsonResponse.MessageAsync(context, 404, $"App '{id}' does not exist");
            return;
        }
        await JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("versions");
            foreach (var v in versions)
            {
                w.WriteStringValue(v.ToString());
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task Version(HttpContext context, ApiServices api, PathId id, string raw)
    {
        AppSpec? app = null;
        if (Timestamp.TryParse(raw, out var version))
        {
            app = await api.Store.GetAppVersionAsync(id, version, context.RequestAborted);
        }
        if (app is null)
        {
            await JsonResponse.MessageAsync(context, 404, $"App '{id}' does not exist in version {raw}");
            return;
        }
        await JsonResponse.WriteAsync(context, 200, w => AppJsonWriter.Write(w, app));
    }

    /// <summary>
    /// Beyond Marathon (which has <c>dryRun</c> only on group PUT): the plan an app change would run, not applied.
    /// The shape is a deployment's (<c>GET /v2/deployments</c>) with <c>currentStep</c> 0.
    /// </summary>
    private static Task WriteDryRunAsync(HttpContext context, DeployResult result) =>
        JsonResponse.WriteAsync(context, 200, w => DeploymentJsonWriter.Write(w, result.Plan, null, result.Plan.Version, WireFormat.Of(context.Request)));

    public static Task WriteDeploymentAsync(HttpContext context, DeployResult result, int status)
    {
        context.Response.Headers["Marathon-Deployment-Id"] = result.Plan.Id.Value;
        return JsonResponse.WriteAsync(context, status, w => DeploymentResultWriter.Write(w, result.Plan));
    }

    private static ApiError Failure(AppReadResult read) =>
        read is AppReadFailed failed ? failed.Error : new ApiError(422, "Object is not valid");
}
