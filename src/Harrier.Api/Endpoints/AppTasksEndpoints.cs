using Harrier.Api.Http;
using Harrier.Api.Json;
using Harrier.Api.Security;
using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Scheduling;
using Harrier.Server.Cluster;
using Harrier.Server.Commands;
using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Endpoints;

/// <summary><c>/v2/apps/{id}/tasks</c>, <c>/v2/apps/{id}/tasks/{taskId}</c> and Harrier's <c>…/logs</c>.</summary>
internal static class AppTasksEndpoints
{
    public static Task Dispatch(HttpContext context, ApiServices api, AppRoute route) => (route.Kind, context.Request.Method) switch
    {
        (AppRouteKind.Tasks, "GET") => List(context, api, route.Id, group: false),
        (AppRouteKind.GroupTasks, "GET") => List(context, api, route.Id, group: true),
        (AppRouteKind.Tasks, "DELETE") => KillMany(context, api, route.Id),
        (AppRouteKind.Task, "DELETE") => KillOne(context, api, route.Id, route.Extra!),
        (AppRouteKind.TaskLogs, "GET") => TaskLogsEndpoint.Stream(context, api, route.Id, route.Extra!),
        _ => JsonResponse.MessageAsync(context, 405, "Method Not Allowed"),
    };

    private static async Task List(HttpContext context, ApiServices api, PathId id, bool group)
    {
        var snapshot = api.Orchestrator.Snapshot;
        if (!group && !snapshot.Apps.ContainsKey(id))
        {
            await JsonResponse.MessageAsync(context, 404, $"App '{id}' does not exist");
            return;
        }
        var principal = context.Principal();
        if (group && !principal.Reaches(id))
        {
            await context.ForbidAsync();
            return;
        }
        var instances = group
            ? snapshot.Apps.Keys.Where(a => id.IsAncestorOf(a) && principal.CanRead(a)).SelectMany(snapshot.InstancesOf)
            : snapshot.InstancesOf(id);
        await JsonResponse.WriteAsync(context, 200, w => TaskJsonWriter.WriteList(w, instances, snapshot, withServicePorts: false));
    }

    private static async Task KillMany(HttpContext context, ApiServices api, PathId id)
    {
        var snapshot = api.Orchestrator.Snapshot;
        if (!snapshot.Apps.TryGetValue(id, out var app))
        {
            await JsonResponse.MessageAsync(context, 404, $"App '{id}' does not exist");
            return;
        }
        var host = context.Request.Query["host"].ToString();
        var selected = snapshot.InstancesOf(id)
            .Where(TaskJsonWriter.IsTask)
            .Where(i => string.IsNullOrEmpty(host) || host == "*" || i.Host == host)
            .ToList();
        await KillAsync(context, api, app, selected, single: false);
    }

    private static async Task KillOne(HttpContext context, ApiServices api, PathId id, string rawTaskId)
    {
        var snapshot = api.Orchestrator.Snapshot;
        if (!TaskId.TryParse(rawTaskId, out var taskId))
        {
            await JsonResponse.MessageAsync(context, 400, $"Invalid task id '{rawTaskId}'. [{rawTaskId}]");
            return;
        }
        if (!snapshot.Apps.TryGetValue(id, out var app))
        {
            await JsonResponse.MessageAsync(context, 404, $"App '{id}' does not exist");
            return;
        }
        var instance = snapshot.FindByTask(taskId);
        if (instance is null || instance.RunSpecId != id || !TaskJsonWriter.IsTask(instance))
        {
            await JsonResponse.MessageAsync(context, 404, $"Task '{rawTaskId}' does not exist");
            return;
        }
        await KillAsync(context, api, app, [instance], single: true);
    }

    /// <summary>
    /// Without <c>scale</c>: kill (the instances come back) or <c>wipe</c> (decommission); answers the tasks.
    /// With <c>scale</c>: kill-and-scale as a deployment that lowers <c>instances</c> (§9.6).
    /// </summary>
    /// <summary>
    /// Kill-and-scale of one app (§9.6): <c>instances</c> drops by the selected tasks that are alive and not already
    /// being killed (<see cref="ScalingProposition.InstancesAfterKill"/>), and exactly those are sentenced.
    /// </summary>
    public static AppChange KillAndScale(AppSpec app, IReadOnlyList<Instance> selected)
    {
        var alive = selected.Where(i => i.Goal == Goal.Running && i.Condition.IsActive() && i.Condition != Condition.Killing);
        return new AppChange(app.Id, app with { Instances = ScalingProposition.InstancesAfterKill(app.Instances, selected) }, Sentenced: [.. alive.Select(i => i.Id)]);
    }

    /// <summary>Runs the kill-and-scale changes as one deployment, as Marathon's <c>killAndScale</c> does.</summary>
    public static async Task KillAndScaleAsync(HttpContext context, ApiServices api, IReadOnlyList<AppChange> changes)
    {
        var (result, ok) = await CommandResponses.RunAsync<DeployResult>(context, api, new DeployAppsCommand(changes, context.Request.Flag("force")));
        if (ok)
        {
            await AppsEndpoints.WriteDeploymentAsync(context, result!, 200);
        }
    }

    public static async Task KillAsync(HttpContext context, ApiServices api, AppSpec app, IReadOnlyList<Instance> selected, bool single)
    {
        var scale = context.Request.Flag("scale");
        var wipe = context.Request.Flag("wipe");
        if (scale && wipe)
        {
            await JsonResponse.MessageAsync(context, 400, "You cannot use scale and wipe at the same time.");
            return;
        }
        if (scale)
        {
            await KillAndScaleAsync(context, api, [KillAndScale(app, selected)]);
            return;
        }
        var (killed, success) = await CommandResponses.RunAsync<IReadOnlyList<Instance>>(context, api, new KillInstancesCommand([.. selected.Select(i => i.Id)], wipe));
        if (!success)
        {
            return;
        }
        await JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            if (single)
            {
                w.WritePropertyName("task");
                TaskJsonWriter.Write(w, killed![0], app, withServicePorts: false);
            }
            else
            {
                w.WriteStartArray("tasks");
                foreach (var instance in killed!)
                {
                    TaskJsonWriter.Write(w, instance, app, withServicePorts: false);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        });
    }
}
