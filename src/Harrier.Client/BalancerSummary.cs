using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>One balancer as Harrier's <c>GET /harrier/v1/balancers</c> lists it; <see cref="Raw"/> has every field.</summary>
public sealed record BalancerSummary(
    string Id,
    IReadOnlyList<string> Groups,
    string? StatsUrl,
    string? RegisteredAt,
    string? LastSeenAt,
    int PendingDrains,
    JsonObject Raw)
{
    public static BalancerSummary FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new BalancerSummary(
            o.Str("id") ?? "",
            [.. (o["groups"] as JsonArray ?? []).OfType<JsonValue>().Select(v => v.GetValue<string>())],
            o.Str("statsUrl"),
            o.Str("registeredAt"),
            o.Str("lastSeenAt"),
            o.Int("pendingDrains") ?? 0,
            o);
    }
}
