using System.Text.Json;
using Harrier.Api.Http;
using Harrier.Core.Resources;
using Harrier.Core.Ids;
using Harrier.Server.Cluster;
using Harrier.Server.Commands;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Harrier.Api.Endpoints;

/// <summary>
/// Harrier: <c>GET /v2/agents</c> (Marathon has none; Mesos' master listed its agents): every registered agent with
/// its attributes, role, connection state, mode (active, draining, maintenance), and its resources in total, in use
/// by live tasks, and free; and draining an agent.
/// </summary>
internal static class AgentsEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v2/agents/{id}/drain", (HttpContext context, string id, ApiServices api) => SetModeAsync(context, api, id, AgentMode.Draining));
        routes.MapPost("/v2/agents/{id}/undrain", (HttpContext context, string id, ApiServices api) => SetModeAsync(context, api, id, AgentMode.Active));
        routes.MapGet("/v2/agents", (HttpContext context, ApiServices api) =>
        {
            var snapshot = api.Orchestrator.Snapshot;
            var usage = AgentUsage.Of(snapshot);
            return JsonResponse.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("agents");
                foreach (var agent in snapshot.Agents.Values.OrderBy(a => a.Info.Hostname, StringComparer.Ordinal).ThenBy(a => a.Info.Id.Value, StringComparer.Ordinal))
                {
                    var u = usage.GetValueOrDefault(agent.Info.Id) ?? new AgentUsage(ResourceVector.Zero, [], 0);
                    Write(w, agent, u);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
    }

    /// <summary>
    /// <c>POST /v2/agents/{id}/drain</c>: no new instances, and the ones there move off under each app's upgradeStrategy;
    /// the agent is in maintenance once empty. <c>/undrain</c>: back to active. Answers the agent as listed.
    /// </summary>
    private static async Task SetModeAsync(HttpContext context, ApiServices api, string id, AgentMode target)
    {
        var (status, ok) = await CommandResponses.RunAsync<AgentStatus>(context, api, new SetAgentModeCommand(new AgentId(id), target));
        if (!ok || status is null)
        {
            return;
        }
        var usage = AgentUsage.Of(api.Orchestrator.Snapshot);
        await JsonResponse.WriteAsync(context, 200, w => Write(w, status, usage.GetValueOrDefault(status.Info.Id) ?? new AgentUsage(ResourceVector.Zero, [], 0)));
    }

    private static void Write(Utf8JsonWriter w, AgentStatus agent, AgentUsage usage)
    {
        var info = agent.Info;
        w.WriteStartObject();
        w.WriteString("id", info.Id.Value);
        w.WriteString("hostname", info.Hostname);
        w.WriteString("role", info.Role);
        w.WriteStartArray("capabilities");
        foreach (var capability in info.Capabilities)
        {
            w.WriteStringValue(capability);
        }
        w.WriteEndArray();
        w.WriteStartObject("attributes");
        foreach (var (key, value) in info.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }
        w.WriteEndObject();
        if (info.Region is { } region)
        {
            w.WriteString("region", region);
        }
        if (info.Zone is { } zone)
        {
            w.WriteString("zone", zone);
        }
        w.WriteBoolean("connected", agent.Connected);
        w.WriteString("mode", info.Mode switch { AgentMode.Draining => "draining", AgentMode.Maintenance => "maintenance", _ => "active" });
        w.WriteString("registeredAt", agent.RegisteredAt.ToString());
        w.WriteString("lastSeen", agent.LastSeen.ToString());
        w.WriteNumber("tasks", usage.Tasks);
        var total = info.Ports.Sum(r => r.End - r.Begin + 1);
        Resources(w, "resources", info.Resources, total);
        Resources(w, "used", usage.Used, usage.Ports.Count);
        Resources(w, "free", info.Resources - usage.Used, total - usage.Ports.Count);
        w.WriteStartArray("portRanges");
        foreach (var range in info.Ports)
        {
            w.WriteStringValue($"[{range.Begin}-{range.End}]");
        }
        w.WriteEndArray();
        // The agent's slice of each overlay and where its VXLAN endpoint is reached.
        w.WriteStartObject("overlays");
        foreach (var (name, subnet) in info.OverlaySubnets.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(name, subnet);
        }
        w.WriteEndObject();
        w.WriteString("overlayAddress", info.OverlayAddress);
        // The named (CNI) networks the agent offers.
        w.WriteStartArray("networks");
        foreach (var network in info.Networks)
        {
            w.WriteStringValue(network);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Resources(Utf8JsonWriter w, string name, ResourceVector r, int ports)
    {
        w.WriteStartObject(name);
        w.WriteNumber("cpus", Math.Round(r.Cpus, 6));
        w.WriteNumber("mem", Math.Round(r.Mem, 6));
        w.WriteNumber("disk", Math.Round(r.Disk, 6));
        w.WriteNumber("gpus", r.Gpus);
        w.WriteNumber("ports", ports);
        w.WriteEndObject();
    }
}
