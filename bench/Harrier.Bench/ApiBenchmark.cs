using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Harrier.Bench;

/// <summary>
/// API latency at size: <c>harrier dev --driver fake</c> (runs nothing), A apps × I instances created through the API
/// (POST latency measured), then R sequential requests each of <c>GET /v2/apps</c> and
/// <c>GET /v2/apps?embed=apps.tasks</c>; and the server's RSS.
/// </summary>
internal static class ApiBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var apps = args.Int("apps", 1000);
        var instances = args.Int("instances", 3);
        var requests = args.Int("requests", 200);
        await using var server = await DevServer.StartAsync("--driver", "fake", "--cpus", "100000", "--mem", "100000000", "--ports", "1025-65000");
        var post = new List<double>();
        var limited = 0;
        for (var a = 0; a < apps; a++)
        {
            var body = new JsonObject
            {
                ["id"] = $"/bench/group{a % 10}/app{a}",
                ["cmd"] = "sleep 3600",
                ["cpus"] = 0.01,
                ["mem"] = 8,
                ["instances"] = instances,
                ["labels"] = new JsonObject { ["team"] = $"t{a % 7}" },
            };
            while (true)
            {
                var sw = Stopwatch.StartNew();
                var response = await server.Http.PostAsJsonAsync("/v2/apps", body);
                var elapsed = sw.Elapsed.TotalMilliseconds;
                if (response.StatusCode == System.Net.HttpStatusCode.Forbidden)
                {
                    // Marathon's running-deployments limit: back off like a client would; not a measured request.
                    limited++;
                    await Task.Delay(20);
                    continue;
                }
                response.EnsureSuccessStatusCode();
                post.Add(elapsed);
                break;
            }
        }
        var wait = Stopwatch.StartNew();
        while ((await server.GetAsync("/v2/tasks?status=running"))["tasks"]!.AsArray().Count < apps * instances)
        {
            if (wait.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("tasks did not all run");
            }
            await Task.Delay(200);
        }
        Console.WriteLine($"setup: {apps} apps x {instances} instances running ({wait.Elapsed.TotalSeconds:0.0} s after the last POST)");
        Console.WriteLine($"POST /v2/apps while growing to {apps} apps: {Stats.Summary(post)}; 403 (deployment limit) retries: {limited}");
        // At size: more POSTs once everything runs, paced like a person or a CI job (one at a time).
        var atSize = new List<double>();
        for (var extra = 0; extra < requests; extra++)
        {
            var body = new JsonObject { ["id"] = $"/bench/extra/app{extra}", ["cmd"] = "sleep 3600", ["cpus"] = 0.01, ["mem"] = 8, ["instances"] = instances };
            var sw = Stopwatch.StartNew();
            (await server.Http.PostAsJsonAsync("/v2/apps", body)).EnsureSuccessStatusCode();
            atSize.Add(sw.Elapsed.TotalMilliseconds);
            await Task.Delay(20);
        }
        Console.WriteLine($"POST /v2/apps at {apps} apps x {instances}: {Stats.Summary(atSize)}");
        foreach (var path in new[] { "/v2/apps", "/v2/apps?embed=apps.tasks" })
        {
            for (var warm = 0; warm < 10; warm++)
            {
                await server.Http.GetByteArrayAsync(path);
            }
            var times = new List<double>();
            long bytes = 0;
            for (var r = 0; r < requests; r++)
            {
                var sw = Stopwatch.StartNew();
                bytes = (await server.Http.GetByteArrayAsync(path)).Length;
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"GET {path}: {Stats.Summary(times)}, {bytes / 1024} KiB");
        }
        Console.WriteLine($"server RSS: {server.RssKiB() / 1024} MiB");
        var metrics = await server.Http.GetStringAsync("/metrics");
        foreach (var name in new[] { "harrier_orchestrator_pass_seconds", "harrier_orchestrator_commit_seconds" })
        {
            double Value(string suffix) => double.Parse(metrics.Split('\n').First(l => l.StartsWith(name + suffix + " ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"{name}: {Value("_count"):0} batches, mean {Value("_sum") / Value("_count") * 1000:0.00} ms");
        }
        return 0;
    }
}
