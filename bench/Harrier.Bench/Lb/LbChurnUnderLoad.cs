using System.Diagnostics;

namespace Harrier.Bench.Lb;

/// <summary>
/// Part 3 of <c>lb</c>: C backend changes as a user makes them (scale up, scale down, a task killed with scale=true,
/// every tenth a rolling restart; 2 to 5 instances), each after the previous one settled, under wrk; what wrk counted
/// and how the balancer applied them (reloads vs runtime API changes, from its control /metrics).
/// </summary>
internal static class LbChurnUnderLoad
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(string label, LbApp app, LbBalancerProcess lb, int changes, int connections, TimeSpan limit)
    {
        await app.ScaleAsync(3);
        await app.WaitSettledAsync(3, Step);
        await using (var probers = new TaskProbers(app.ServicePort, probers: 1, intervalMs: 20))
        {
            foreach (var (task, _) in await app.RunningAsync())
            {
                await Until.ValueAsync(() => probers.Seen(task), Step, $"{task} answering through the balancer");
            }
        }
        var reloads = await lb.MetricAsync("harrier_lb_reloads_total");
        var runtime = await lb.MetricAsync("harrier_lb_runtime_changes_total");
        var load = Stats.LoadAverage();
        using var stop = new CancellationTokenSource();
        var wrk = WrkRun.RunAsync($"http://127.0.0.1:{app.ServicePort}/", limit + TimeSpan.FromSeconds(60), connections, stop.Token);
        var watch = Stopwatch.StartNew();
        var instances = 3;
        var done = 0;
        try
        {
            for (var i = 0; i < changes && watch.Elapsed < limit; i++)
            {
                if (i % 10 == 9)
                {
                    await app.RestartAsync();
                }
                else if (instances < 5 && (i % 2 == 0 || instances <= 2))
                {
                    await app.ScaleAsync(++instances);
                }
                else if (i % 4 == 1)
                {
                    await app.ScaleAsync(--instances);
                }
                else
                {
                    var running = await app.RunningAsync();
                    instances--;
                    await app.KillAndScaleAsync(running[i % running.Count].Id);
                }
                await app.WaitSettledAsync(instances, Step);
                done++;
            }
        }
        finally
        {
            await stop.CancelAsync();
        }
        var result = await wrk;
        var elapsed = watch.Elapsed;
        var reloadsDone = await lb.MetricAsync("harrier_lb_reloads_total") - reloads;
        var runtimeDone = await lb.MetricAsync("harrier_lb_runtime_changes_total") - runtime;
        Console.WriteLine($"3. {label}: {done} changes in {elapsed.TotalSeconds:0.0} s under wrk -c{connections} ({load} at start, {Stats.LoadAverage()} at end)");
        Console.WriteLine($"   wrk: {result.Requests} requests ({result.RequestsPerSecond:0}/s), non-2xx {result.Non2xx}, socket errors {result.SocketErrors}, latency p99 {result.P99}");
        Console.WriteLine($"   balancer: {reloadsDone} reloads, {runtimeDone} runtime API changes");
        if (result.Requests == 0)
        {
            Console.WriteLine(result.Output);
        }
    }
}
