using System.Text.Json;
using Harrier.Api.Http;
using Harrier.Api.Json;
using Harrier.Api.Security;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Harrier.Api.Endpoints;

/// <summary><c>GET /v2/tasks</c> and <c>POST /v2/tasks/delete</c> (§2.5).</summary>
internal static class TasksEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2/tasks", List);
        routes.MapPost("/v2/tasks/delete", Delete);
    }

    private static Task List(HttpContext context, ApiServices api)
    {
        var snapshot = api.Orchestrator.Snapshot;
        var statuses = context.Request.Query["status"].Concat(context.Request.Query["status[]"])
            .Where(s => !string.IsNullOrEmpty(s)).Select(s => s!.ToLowerInvariant()).ToHashSet();
        var principal = context.Principal();
        var instances = snapshot.Instances.Values.Where(i => (snapshot.Apps.ContainsKey(i.RunSpecId) || i.Condition.IsActive()) && principal.CanRead(i.RunSpecId));
        if (statuses.Count > 0)
        {
            instances = instances.Where(i =>
                (statuses.Contains("running") && i.Condition == Condition.Running)
                || (statuses.Contains("staging") && i.Condition is Condition.Staging or Condition.Provisioned or Condition.Starting));
        }
        return JsonResponse.WriteAsync(context, 200, w => TaskJsonWriter.WriteList(w, instances.OrderBy(i => i.RunSpecId).ThenBy(i => i.Id.Value, StringComparer.Ordinal), snapshot, withServicePorts: true));
    }

    private static async Task Delete(HttpContext context, ApiServices api)
    {
        var (doc, error) = await RequestBody.ReadAsync(context);
        if (doc is null)
        {
            await JsonResponse.ErrorAsync(context, error!);
            return;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
            {
                await JsonResponse.MessageAsync(context, 422, "Invalid JSON: expected {\"ids\":[taskId,…]}");
                return;
            }
            var snapshot = api.Orchestrator.Snapshot;
            var byApp = new Dictionary<PathId, List<Instance>>();
            foreach (var element in ids.EnumerateArray())
            {
                var raw = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
                if (!TaskId.TryParse(raw, out var taskId))
                {
                    await JsonResponse.MessageAsync(context, 400, $"Invalid task id '{raw}'. [{raw}]");
                    return;
                }
                if (snapshot.FindByTask(taskId) is { } instance && TaskJsonWriter.IsTask(instance))
                {
                    (byApp.TryGetValue(instance.RunSpecId, out var list) ? list : byApp[instance.RunSpecId] = []).Add(instance);
                }
            }
            // All or nothing: one task the principal may not kill refuses the whole request.
            if (byApp.Keys.Any(app => !context.Principal().Can(AccessAction.Write, app)))
            {
                await context.ForbidAsync();
                return;
            }
            if (context.Request.Flag("scale"))
            {
                if (context.Request.Flag("wipe"))
                {
                    await JsonResponse.MessageAsync(context, 400, "You cannot use scale and wipe at the same time.");
                    return;
                }
                var changes = byApp.Where(kv => snapshot.Apps.ContainsKey(kv.Key))
                    .Select(kv => AppTasksEndpoints.KillAndScale(snapshot.Apps[kv.Key], kv.Value))
                    .ToList();
                if (changes.Count == 0)
                {
                    await JsonResponse.MessageAsync(context, 404, "No tasks to kill");
                    return;
                }
                await AppTasksEndpoints.KillAndScaleAsync(context, api, changes);
                return;
            }
            var all = byApp.Values.SelectMany(l => l).ToList();
            var (killed, ok) = await CommandResponses.RunAsync<IReadOnlyList<Instance>>(context, api, new Harrier.Server.Commands.KillInstancesCommand([.. all.Select(i => i.Id)], context.Request.Flag("wipe")));
            if (ok)
            {
                await JsonResponse.WriteAsync(context, 200, w => TaskJsonWriter.WriteList(w, killed!, snapshot, withServicePorts: true));
            }
        }
    }
}
