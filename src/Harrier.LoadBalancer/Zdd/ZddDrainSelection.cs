using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Which tasks of the old colour every balancer has stopped sending traffic to (zdd.py's find_draining_task_ids and
/// find_drained_task_ids). A task counts only when each balancer lists its server and every such line is draining
/// (<c>MAINT</c>/<c>DRAIN</c>); "drained" also needs no queued request and no open session on any of them. Judged per
/// balancer (zdd.py counted lines across all of them, which a balancer listing a server twice could fool).
/// </summary>
internal static class ZddDrainSelection
{
    /// <summary>Tasks whose server drains on every balancer (safe to kill after <c>--max-wait</c>).</summary>
    public static IReadOnlyList<string> Draining(JsonObject app, IReadOnlyList<IReadOnlyList<HaproxyStatsRow>> balancers, Func<string, string?> resolve) =>
        Select(app, balancers, resolve, r => r.IsDraining);

    /// <summary>Tasks whose server drains on every balancer with nothing left in flight (safe to kill now).</summary>
    public static IReadOnlyList<string> Drained(JsonObject app, IReadOnlyList<IReadOnlyList<HaproxyStatsRow>> balancers, Func<string, string?> resolve) =>
        Select(app, balancers, resolve, r => r.IsDrained);

    /// <summary>Each task id with its server name (null when the task has no address or port).</summary>
    public static IReadOnlyList<(string TaskId, string? Server)> ServerNames(JsonObject app, Func<string, string?> resolve) =>
        [.. ZddAppJson.Tasks(app)
            .Select(t => (Id: ZddAppJson.String(t["id"]), Server: ZddServerNames.For(app, t, resolve)))
            .Where(t => t.Id is not null)
            .Select(t => (t.Id!, t.Server))];

    private static IReadOnlyList<string> Select(JsonObject app, IReadOnlyList<IReadOnlyList<HaproxyStatsRow>> balancers, Func<string, string?> resolve, Func<HaproxyStatsRow, bool> state)
    {
        if (balancers.Count == 0)
        {
            return [];
        }
        var selected = new List<string>();
        foreach (var (taskId, server) in ServerNames(app, resolve))
        {
            if (server is not null && balancers.All(rows => rows.Any(r => r.Server == server) && rows.Where(r => r.Server == server).All(state)))
            {
                selected.Add(taskId);
            }
        }
        return selected;
    }
}
