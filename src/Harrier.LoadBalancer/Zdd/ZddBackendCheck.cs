using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Whether the balancers show the pair ready for the next kill (zdd.py's find_tasks_to_kill conditions): on every
/// balancer the merged backend <c>&lt;group&gt;_&lt;HAPROXY_0_PORT&gt;</c> lists exactly the old and new instances, at
/// least the target of them are up, and some server is drained. Pure; the runner polls it.
/// </summary>
internal static class ZddBackendCheck
{
    /// <summary>The backend marathon-lb renders for the pair: the group as an app id (no leading '/', '/' → '_'), then the port.</summary>
    public static string BackendName(JsonObject newApp) =>
        (ZddAppJson.DeploymentGroup(newApp) ?? "").TrimStart('/').Replace('/', '_') + "_" + ZddAppJson.Label(newApp, ZddLabels.Port0);

    /// <summary>Each balancer's server lines of the pair's backend.</summary>
    public static IReadOnlyList<IReadOnlyList<HaproxyStatsRow>> Servers(JsonObject newApp, IReadOnlyList<ZddBalancerStats> balancers)
    {
        var backend = BackendName(newApp);
        return [.. balancers.Select(b => (IReadOnlyList<HaproxyStatsRow>)[.. b.Rows.Where(r => r.Proxy == backend && r.IsServer)])];
    }

    /// <summary>Null when ready (some server drained); else what it still waits for, for the progress line.</summary>
    public static string? Waiting(JsonObject newApp, JsonObject oldApp, IReadOnlyList<ZddBalancerStats> balancers, string step)
    {
        var backend = BackendName(newApp);
        var expected = ZddAppJson.Instances(newApp) + ZddAppJson.Instances(oldApp);
        var target = ZddAppJson.DeploymentTarget(newApp, step);
        var servers = Servers(newApp, balancers);
        for (var i = 0; i < balancers.Count; i++)
        {
            if (servers[i].Count != expected)
            {
                return $"{balancers[i].Url}: backend {backend} lists {servers[i].Count} servers, waiting for {expected} (old + new instances)";
            }
        }
        for (var i = 0; i < balancers.Count; i++)
        {
            var up = servers[i].Count(r => r.IsUp);
            if (up < target)
            {
                return $"{balancers[i].Url}: backend {backend} has {up} servers up, waiting for {target}";
            }
        }
        return servers.Any(rows => rows.Any(r => r.IsDrained)) ? null : $"backend {backend}: no server drained yet";
    }
}
