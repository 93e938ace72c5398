namespace Harrier.Bench.Lb;

/// <summary>
/// <c>lb</c>: the real <c>harrier dev</c>, <c>harrier lb --health-check</c> (a real HAProxy) and test-app tasks on
/// 127.0.0.1. Parts (<c>--parts 1234</c>): 1+2 change latency (<c>--changes</c> scale-ups and kills), 4 requests/s
/// direct vs through HAProxy (<c>--seconds</c> × <c>--runs</c>), 3 failed requests during <c>--load-changes</c> backend
/// changes under wrk, then again with a balancer started with the hidden <c>--always-reload</c> (marathon-lb's reload
/// on every change). Every wait is bounded; the balancers, their HAProxy and the server are stopped by PID.
/// </summary>
internal static class LbBenchmark
{
    public static async Task<int> RunAsync(BenchArgs options)
    {
        var changes = options.Int("changes", 30);
        var loadChanges = options.Int("load-changes", 100);
        var seconds = options.Int("seconds", 10);
        var runs = options.Int("runs", 3);
        var connections = options.Int("connections", 16);
        var limit = TimeSpan.FromSeconds(options.Int("load-limit", 600));
        var parts = options.Values.TryGetValue("parts", out var p) ? p : "1234";

        await using var server = await DevServer.StartAsync("--cpus", "1000", "--mem", "1000000");
        var serverUrl = server.Http.BaseAddress!;
        await using var events = await ClusterEventLog.StartAsync(serverUrl);
        var app = new LbApp(server, "/bench/lb", LbBalancerProcess.FreePort());
        Console.WriteLine($"lb: server pid {server.Pid}, app {app.Id} on service port {app.ServicePort}; {Stats.LoadAverage()}");
        await using (var lb = await LbBalancerProcess.StartAsync(serverUrl, "--balancer-id", "bench-lb"))
        {
            try
            {
                await app.CreateAsync(2);
                if (parts.Contains('1', StringComparison.Ordinal) || parts.Contains('2', StringComparison.Ordinal))
                {
                    await LbChangeLatency.RunAsync(server, app, events, changes);
                }
                if (parts.Contains('4', StringComparison.Ordinal))
                {
                    await LbThroughput.RunAsync(app, seconds, runs, connections);
                }
                if (parts.Contains('3', StringComparison.Ordinal))
                {
                    await LbChurnUnderLoad.RunAsync("runtime API (default)", app, lb, loadChanges, 4, limit);
                }
            }
            catch (Exception e) when (e is TimeoutException or HttpRequestException)
            {
                Console.WriteLine($"lb: {e.Message}\nbalancer output (last 64 KiB):\n{lb.Output}");
                return 1;
            }
        }
        if (parts.Contains('3', StringComparison.Ordinal))
        {
            await using var reloading = await LbBalancerProcess.StartAsync(serverUrl, "--balancer-id", "bench-lb-reload", "--always-reload");
            try
            {
                await LbChurnUnderLoad.RunAsync("--always-reload (marathon-lb's reload per change)", app, reloading, loadChanges, 4, limit);
            }
            catch (Exception e) when (e is TimeoutException or HttpRequestException)
            {
                Console.WriteLine($"lb: {e.Message}\nbalancer output (last 64 KiB):\n{reloading.Output}");
                return 1;
            }
        }
        if (parts.Contains('3', StringComparison.Ordinal))
        {
            // The holds of every part together (parts 1 and 2 printed their own already).
            await LbChangeLatency.PrintHoldAsync(server);
        }
        return 0;
    }
}
