using System.Text.Json;
using Harrier.Api.Http;
using Harrier.Api.Json;
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
        var instances = snapshot.Instances.Values.Where(i => snapshot.Apps.ContainsKey(i.RunSpecId) || i.Condition.IsActive());
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
            if (context.Request.Flag("scale"))
            {
                if (byApp.Count == 0)
                {
                    await JsonResponse.MessageAsync(context, 404, "No tasks to kill");
                    return;
                }
                if (byApp.Count > 1)
                {
                    // Marathon makes one deployment per app; we answer the first and run the others alike.
                    foreach (var (appId, list) in byApp.Skip(1))
                    {
                        if (snapshot.Apps.TryGetValue(appId, out var other))
                        {
                            var change = new Harrier.Server.Commands.AppChange(appId, other with { Instances = Math.Max(0, other.Instances - list.Count) }, Sentenced: [.. list.Select(i => i.Id)]);
                            await api.Orchestrator.ExecuteAsync(new Harrier.Server.Commands.DeployAppsCommand([change], context.Request.Flag("force")), context.RequestAborted);
                        }
                    }
                }
                var (first, instances) = byApp.First();
                await AppTasksEndpoints.KillAsync(context, api, snapshot.Apps[first], instances, single: false);
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
