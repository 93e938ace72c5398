using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Polls the balancers until the old colour has tasks to kill (zdd.py's find_tasks_to_kill): every
/// <c>--step-delay</c> it skips balancers still reloading (more than two HAProxy processes, or no answer), reads every
/// balancer's CSV stats and asks <see cref="ZddBackendCheck"/>; once ready it returns the drained old tasks. The wait
/// ends <c>--max-wait</c> after <c>since</c>: then, like zdd.py, it returns the tasks that are draining on every
/// balancer even if sessions remain — or fails when no balancer's stats were ever usable.
/// </summary>
internal sealed class ZddDrainWait(ZddArguments args, ZddBalancerClient balancers, ZddConsole console, TimeProvider time, Func<string, string?> resolve)
{
    public const string Step = "wait for the balancers to drain the old tasks";

    public async Task<(IReadOnlyList<string> TaskIds, bool TimedOut)> FindTasksToKillAsync(JsonObject newApp, JsonObject oldApp, long since, CancellationToken ct)
    {
        if (ZddAppJson.Instances(oldApp) == 0 && ZddAppJson.Tasks(oldApp).Count == 0)
        {
            return ([], false);
        }
        IReadOnlyList<ZddBalancerStats>? last = null;
        var reason = "no balancer checked yet";
        // At least one look even when the wait began in an earlier round and has run out.
        for (var first = true; first || time.GetElapsedTime(since) < args.MaxWait; first = false)
        {
            await Task.Delay(ZddTiming.Step(args), time, ct);
            await console.WaitingAsync($"old app {ZddAppJson.Id(oldApp)} has {ZddAppJson.Instances(oldApp)} instances, new app {ZddAppJson.Id(newApp)} has {ZddAppJson.Instances(newApp)}; {reason}");
            if (await ReloadingAsync(ct) is { } reloading)
            {
                reason = reloading;
                continue;
            }
            var (stats, error) = await ReadStatsAsync(ct);
            if (stats is null)
            {
                reason = error!;
                continue;
            }
            last = stats;
            if (ZddBackendCheck.Waiting(newApp, oldApp, stats, Step) is { } waiting)
            {
                reason = waiting;
                continue;
            }
            var drained = ZddDrainSelection.Drained(oldApp, ZddBackendCheck.Servers(newApp, stats), resolve);
            if (drained.Count > 0 || time.GetElapsedTime(since) < args.MaxWait)
            {
                // Empty too (zdd.py): the swap round may still grow the new app while the drain goes on.
                return (drained, false);
            }
            reason = $"backend {ZddBackendCheck.BackendName(newApp)}: servers drained, but no task of {ZddAppJson.Id(oldApp)} on every balancer";
        }
        if (last is null)
        {
            throw new ZddFailure(Step, $"no usable stats from the balancers within {args.MaxWait.TotalSeconds:0.#} s: {reason}");
        }
        var draining = ZddDrainSelection.Draining(oldApp, ZddBackendCheck.Servers(newApp, last), resolve);
        await console.ProgressAsync($"timed out after {args.MaxWait.TotalSeconds:0.#} s waiting for tasks to drain ({reason}); going on with the {draining.Count} draining tasks");
        return (draining, true);
    }

    /// <summary>Why the balancers are not ready to be read (one still reloading or not answering), or null.</summary>
    private async Task<string?> ReloadingAsync(CancellationToken ct)
    {
        foreach (var balancer in args.Balancers)
        {
            var (count, error) = await balancers.PidCountAsync(balancer, ct);
            if (error is not null)
            {
                return $"{ZddBalancerClient.Display(balancer)}/_haproxy_getpids: {error}";
            }
            if (count > 2)
            {
                return $"{ZddBalancerClient.Display(balancer)} runs {count} HAProxy processes (reloading)";
            }
        }
        return null;
    }

    private async Task<(IReadOnlyList<ZddBalancerStats>? Stats, string? Error)> ReadStatsAsync(CancellationToken ct)
    {
        var all = new List<ZddBalancerStats>();
        foreach (var balancer in args.Balancers)
        {
            var (stats, error) = await balancers.StatsAsync(balancer, ct);
            if (stats is null)
            {
                return (null, $"{ZddBalancerClient.Display(balancer)}/haproxy?stats;csv: {error}");
            }
            all.Add(stats);
        }
        return (all, null);
    }
}
