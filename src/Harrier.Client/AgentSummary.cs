using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>One agent as Harrier's <c>GET /v2/agents</c> lists it; <see cref="Raw"/> has every field.</summary>
public sealed record AgentSummary(
    string Id,
    string Hostname,
    string Role,
    bool Connected,
    int Tasks,
    double CpusUsed,
    double CpusTotal,
    double MemUsed,
    double MemTotal,
    string Mode,
    IReadOnlyDictionary<string, string> Overlays,
    IReadOnlyList<string> Networks,
    JsonObject Raw)
{
    public static AgentSummary FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var used = o["used"] as JsonObject ?? [];
        var total = o["resources"] as JsonObject ?? [];
        return new AgentSummary(
            o.Str("id") ?? "",
            o.Str("hostname") ?? "",
            o.Str("role") ?? "*",
            o["connected"]?.GetValue<bool>() ?? false,
            o.Int("tasks") ?? 0,
            used.Number("cpus") ?? 0,
            total.Number("cpus") ?? 0,
            used.Number("mem") ?? 0,
            total.Number("mem") ?? 0,
            o.Str("mode") ?? "active",
            (o["overlays"] as JsonObject ?? []).Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()),
            [.. (o["networks"] as JsonArray ?? []).OfType<JsonValue>().Select(v => v.GetValue<string>())],
            o);
    }
}
