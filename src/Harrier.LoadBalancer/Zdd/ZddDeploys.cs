using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Ordering of the apps in one deployment group: by <c>HAPROXY_DEPLOYMENT_STARTED_AT</c> as text (ISO timestamps sort
/// as text), a missing one as <c>"0"</c> (oldest), ties in the server's order (zdd.py's sort_deploys).
/// </summary>
internal static class ZddDeploys
{
    public static IReadOnlyList<JsonObject> InGroup(IEnumerable<JsonObject> apps, string group) =>
        [.. apps.Where(a => ZddAppJson.DeploymentGroup(a) == group)];

    public static IReadOnlyList<JsonObject> Sorted(IReadOnlyList<JsonObject> apps) =>
        [.. apps.OrderBy(a => ZddAppJson.Label(a, ZddLabels.StartedAt) ?? "0", StringComparer.Ordinal)];

    /// <summary>The most recently started deploy.</summary>
    public static JsonObject Last(IReadOnlyList<JsonObject> apps) => Sorted(apps)[^1];

    /// <summary>The most recent deploy and the one before it (zdd.py's select_last_two_deploys).</summary>
    public static (JsonObject Latest, JsonObject Previous) LastTwo(IReadOnlyList<JsonObject> apps)
    {
        var sorted = Sorted(apps);
        return (sorted[^1], sorted[^2]);
    }
}
