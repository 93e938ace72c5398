using System.Globalization;
using System.Text;
using System.Text.Json;
using Harrier.Api.Http;
using Harrier.Core.Ids;
using Harrier.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Harrier.Api.Endpoints;

/// <summary>
/// Harrier: what only an agent knows, asked over its command stream (<see cref="Harrier.Server.Agents.AgentQueryRelay"/>):
/// its image store (<c>GET/POST/DELETE /v2/agents/{id}/images</c>) and Mesos' per-container statistics at the paths
/// DC/OS's admin router served them (<c>/agent/{id}/monitor/statistics[.json]</c>), plus the same figures as
/// Prometheus series (<c>/agent/{id}/metrics</c>). An unknown agent is a 404; one that is not connected or does not
/// answer in time, a 503.
/// </summary>
internal static class AgentQueryEndpoints
{
    private static readonly TimeSpan QuickAnswer = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PullAnswer = TimeSpan.FromMinutes(15);

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2/agents/{id}/images", (HttpContext c, string id, ApiServices api) =>
            AskAsync(c, api, id, AgentQueries.ListImages, [], QuickAnswer, json => "{\"images\":" + json + "}"));
        routes.MapPost("/v2/agents/{id}/images", async (HttpContext c, string id, ApiServices api) =>
        {
            var (doc, error) = await RequestBody.ReadAsync(c);
            if (error is not null)
            {
                await JsonResponse.ErrorAsync(c, error);
                return;
            }
            using (doc)
            {
                var root = doc!.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("image", out var image) || image.ValueKind != JsonValueKind.String
                    || string.IsNullOrWhiteSpace(image.GetString()))
                {
                    await JsonResponse.MessageAsync(c, 422, "The body must be {\"image\": \"REFERENCE\", \"forcePull\": false}");
                    return;
                }
                var force = root.TryGetProperty("forcePull", out var f) && f.ValueKind == JsonValueKind.True;
                await AskAsync(c, api, id, AgentQueries.PullImage, new() { ["image"] = image.GetString()!, ["force"] = force ? "true" : "false" }, PullAnswer, json => "{\"images\":" + json + "}");
            }
        });
        routes.MapDelete("/v2/agents/{id}/images", async (HttpContext c, string id, ApiServices api) =>
        {
            var image = c.Request.Query["image"].ToString();
            if (string.IsNullOrWhiteSpace(image))
            {
                await JsonResponse.MessageAsync(c, 422, "Name the image to remove: ?image=REFERENCE or ?image=sha256:DIGEST");
                return;
            }
            await AskAsync(c, api, id, AgentQueries.RemoveImage, new() { ["image"] = image }, QuickAnswer, json => json);
        });
        routes.MapGet("/agent/{id}/monitor/statistics", (HttpContext c, string id, ApiServices api) =>
            AskAsync(c, api, id, AgentQueries.Statistics, [], QuickAnswer, json => json));
        routes.MapGet("/agent/{id}/monitor/statistics.json", (HttpContext c, string id, ApiServices api) =>
            AskAsync(c, api, id, AgentQueries.Statistics, [], QuickAnswer, json => json));
        routes.MapGet("/agent/{id}/metrics", async (HttpContext c, string id, ApiServices api) =>
        {
            if (await QueryAsync(c, api, id, AgentQueries.Statistics, [], QuickAnswer) is not { } answer)
            {
                return;
            }
            if (answer.Status != 200)
            {
                c.Response.StatusCode = answer.Status;
                c.Response.ContentType = "application/json; charset=utf-8";
                await c.Response.WriteAsync(answer.Json, Encoding.UTF8, c.RequestAborted);
                return;
            }
            // The answer comes from an agent: input like any other, so a malformed one is the agent's fault (502).
            if (TaskStatisticsPrometheus.TryRender(id, answer.Json, out var text, out var error))
            {
                c.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await c.Response.WriteAsync(text, c.RequestAborted);
            }
            else
            {
                await JsonResponse.MessageAsync(c, 502, $"Agent '{id}' answered statistics that are not Mesos' shape: {error}");
            }
        });
    }

    private static async Task AskAsync(HttpContext c, ApiServices api, string id, string query, Dictionary<string, string> args, TimeSpan timeout, Func<string, string> wrap)
    {
        if (await QueryAsync(c, api, id, query, args, timeout) is not { } answer)
        {
            return;
        }
        c.Response.StatusCode = answer.Status;
        c.Response.ContentType = "application/json; charset=utf-8";
        await c.Response.WriteAsync(answer.Status == 200 ? wrap(answer.Json) : answer.Json, Encoding.UTF8, c.RequestAborted);
    }

    /// <summary>The agent's answer, or null once an error response (404, 503) was written.</summary>
    private static async Task<AgentQueryAnswer?> QueryAsync(HttpContext c, ApiServices api, string id, string query, Dictionary<string, string> args, TimeSpan timeout)
    {
        var agentId = new AgentId(id);
        if (!api.Orchestrator.Snapshot.Agents.TryGetValue(agentId, out var agent))
        {
            await JsonResponse.MessageAsync(c, 404, $"Agent '{id}' does not exist");
            return null;
        }
        if (!agent.Connected)
        {
            await JsonResponse.MessageAsync(c, 503, $"Agent '{id}' is not connected");
            return null;
        }
        var answer = await api.AgentQueries.AskAsync(agentId, query, args, timeout, c.RequestAborted);
        if (answer is null)
        {
            await JsonResponse.MessageAsync(c, 503, string.Create(CultureInfo.InvariantCulture, $"Agent '{id}' did not answer within {timeout.TotalSeconds:0} s"));
            return null;
        }
        return answer;
    }
}
