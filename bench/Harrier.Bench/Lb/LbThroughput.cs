namespace Harrier.Bench.Lb;

/// <summary>
/// Part 4 of <c>lb</c>: requests/s of <c>GET /</c> on one test-app task, directly on its host port and through the
/// balancer's service port (HTTP mode), wrk S seconds × R runs each, interleaved; medians and their ratio.
/// </summary>
internal static class LbThroughput
{
    public static async Task RunAsync(LbApp app, int seconds, int runs, int connections)
    {
        await app.ScaleAsync(1);
        await app.WaitSettledAsync(1, TimeSpan.FromSeconds(60));
        var (task, hostPort) = (await app.RunningAsync())[0];
        await using (var probers = new TaskProbers(app.ServicePort, probers: 1, intervalMs: 20))
        {
            // Only the one task answers once the removed ones are gone from the balancer.
            await Until.ValueAsync(() => probers.Seen(task), TimeSpan.FromSeconds(60), $"{task} answering through the balancer");
        }
        var direct = new List<double>();
        var through = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            foreach (var (list, port, name) in new[] { (direct, hostPort, "direct"), (through, app.ServicePort, "through HAProxy") })
            {
                var load = Stats.LoadAverage();
                var result = await WrkRun.RunAsync($"http://127.0.0.1:{port}/", TimeSpan.FromSeconds(seconds), connections);
                list.Add(result.RequestsPerSecond);
                Console.WriteLine($"   run {run + 1} {name}: {result.RequestsPerSecond:0} requests/s, p99 {result.P99}, non-2xx {result.Non2xx}, socket errors {result.SocketErrors} ({load})");
            }
        }
        var d = Stats.Percentile(direct, 50);
        var t = Stats.Percentile(through, 50);
        Console.WriteLine($"4. requests/s, wrk -t1 -c{connections} {seconds} s × {runs}: direct median {d:0}, through HAProxy median {t:0}, ratio {t / d:0.00}");
    }
}
