using Harrier.Api.Http;
using Harrier.Core.Instances;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Harrier.Api.Endpoints;

/// <summary>
/// Harrier: <c>GET /v2/orphans</c> — live tasks agents run that belong to no instance this server knows (Marathon
/// kills them silently). Each is killed at <c>killAt</c>: after <c>--orphan-grace</c> for a task never known here, at
/// once for a task of an unreachable instance this server expunged.
/// </summary>
internal static class OrphansEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/v2/orphans", (HttpContext context, ApiServices api) =>
        {
            var snapshot = api.Orchestrator.Snapshot;
            return JsonResponse.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("orphans");
                foreach (var orphan in snapshot.Orphans.Values.OrderBy(o => o.FirstSeen).ThenBy(o => o.TaskId.Value, StringComparer.Ordinal))
                {
                    w.WriteStartObject();
                    w.WriteString("taskId", orphan.TaskId.Value);
                    w.WriteString("agentId", orphan.AgentId.Value);
                    if (snapshot.Agents.TryGetValue(orphan.AgentId, out var agent))
                    {
                        w.WriteString("host", agent.Info.Hostname);
                    }
                    w.WriteString("state", orphan.State.ToMesosName());
                    w.WriteString("firstSeen", orphan.FirstSeen.ToString());
                    if (orphan.Held)
                    {
                        // --recover-from-agents: kept until an operator decides.
                        w.WriteNull("killAt");
                        w.WriteBoolean("held", true);
                    }
                    else
                    {
                        w.WriteString("killAt", orphan.KillAt.ToString());
                    }
                    if (orphan.KillSent is { } sent)
                    {
                        w.WriteString("killSent", sent.ToString());
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
}
