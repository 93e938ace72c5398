using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>A task as <c>/v2/tasks</c> and <c>/v2/apps/{id}/tasks</c> return it (§2.5).</summary>
public sealed record AppTask(
    string Id,
    string AppId,
    string? Host,
    string? SlaveId,
    string? State,
    string? StagedAt,
    string? StartedAt,
    string? Version,
    IReadOnlyList<int> Ports,
    IReadOnlyList<int> ServicePorts,
    IReadOnlyList<string> IpAddresses,
    bool? Healthy,
    JsonObject Raw)
{
    public static AppTask FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var health = o.Objects("healthCheckResults").ToList();
        return new AppTask(
            o.Str("id") ?? "",
            o.Str("appId") ?? "",
            o.Str("host"),
            o.Str("slaveId"),
            o.Str("state"),
            o.Str("stagedAt"),
            o.Str("startedAt"),
            o.Str("version"),
            o.Ints("ports"),
            o.Ints("servicePorts"),
            [.. o.Objects("ipAddresses").Select(a => a.Str("ipAddress")).OfType<string>()],
            health.Count == 0 ? null : health.All(h => h.Bool("alive") == true),
            o);
    }
}
