using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Harrier.Bench;

/// <summary>
/// The groups API at size, on <c>harrier dev --driver fake</c>: one <c>POST /v2/groups</c> of A apps × I instances
/// (time to the answer, to every instance RUNNING, server RSS), then R sequential <c>GET /v2/groups</c> with the apps'
/// tasks embedded, then the same A apps again as A single <c>POST /v2/apps</c> (one at a time) in the same run.
/// </summary>
internal static class GroupsBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var apps = args.Int("apps", 1000);
        var instances = args.Int("instances", 3);
        var requests = args.Int("requests", 100);
        Console.WriteLine($"{Stats.LoadAverage()} at start");
        await using var server = await DevServer.StartAsync("--driver", "fake", "--cpus", "100000", "--mem", "100000000", "--ports", "1025-65000");
        Console.WriteLine($"server RSS idle: {server.RssKiB() / 1024} MiB");

        var group = new JsonObject
        {
            ["id"] = "/grouped",
            // Every tenth app depends on app0: the deployment has two dependency levels.
            ["apps"] = new JsonArray([.. Enumerable.Range(0, apps).Select(a => (JsonNode)App($"app{a}", instances, a > 0 && a % 10 == 0 ? "app0" : null))]),
        };
        var text = group.ToJsonString();
        var sw = Stopwatch.StartNew();
        var response = await server.Http.PostAsync("/v2/groups", new StringContent(text, Encoding.UTF8, "application/json"));
        var answered = sw.Elapsed;
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"POST /v2/groups: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await WaitRunningAsync(server, apps * instances);
        var running = sw.Elapsed;
        Console.WriteLine($"POST /v2/groups ({apps} apps x {instances}, {text.Length / 1024} KiB body): answer {answered.TotalMilliseconds:0} ms, all {apps * instances} RUNNING {running.TotalMilliseconds:0} ms; {Stats.LoadAverage()}");
        Console.WriteLine($"server RSS after the group: {server.RssKiB() / 1024} MiB");

        foreach (var path in new[] { "/v2/groups?embed=group.apps.tasks", "/v2/groups?embed=group.groups&embed=group.apps.tasks", "/v2/groups/grouped?embed=group.apps.tasks" })
        {
            for (var warm = 0; warm < 5; warm++)
            {
                await server.Http.GetByteArrayAsync(path);
            }
            var times = new List<double>();
            long bytes = 0;
            for (var r = 0; r < requests; r++)
            {
                var t = Stopwatch.StartNew();
                bytes = (await server.Http.GetByteArrayAsync(path)).Length;
                times.Add(t.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"GET {path}: {Stats.Summary(times)}, {bytes / 1024} KiB; {Stats.LoadAverage()}");
        }

        var posts = new List<double>();
        var limited = 0;
        sw.Restart();
        for (var a = 0; a < apps; a++)
        {
            var body = App($"/single/app{a}", instances, a > 0 && a % 10 == 0 ? "/single/app0" : null);
            while (true)
            {
                var t = Stopwatch.StartNew();
                var single = await server.Http.PostAsJsonAsync("/v2/apps", body);
                if (single.StatusCode == System.Net.HttpStatusCode.Forbidden)
                {
                    limited++;
                    await Task.Delay(20);
                    continue;
                }
                single.EnsureSuccessStatusCode();
                posts.Add(t.Elapsed.TotalMilliseconds);
                break;
            }
        }
        var allAnswered = sw.Elapsed;
        await WaitRunningAsync(server, 2 * apps * instances);
        Console.WriteLine($"{apps} x POST /v2/apps (one at a time, beside the group): last answer {allAnswered.TotalMilliseconds:0} ms, all RUNNING {sw.Elapsed.TotalMilliseconds:0} ms; per POST {Stats.Summary(posts)}; 403 retries {limited}; {Stats.LoadAverage()}");
        Console.WriteLine($"server RSS after both: {server.RssKiB() / 1024} MiB");
        var metrics = await server.Http.GetStringAsync("/metrics");
        foreach (var name in new[] { "harrier_orchestrator_pass_seconds", "harrier_orchestrator_commit_seconds" })
        {
            double Value(string suffix) => double.Parse(metrics.Split('\n').First(l => l.StartsWith(name + suffix + " ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"{name}: {Value("_count"):0} batches, mean {Value("_sum") / Value("_count") * 1000:0.00} ms");
        }
        return 0;
    }

    private static JsonObject App(string id, int instances, string? dependency)
    {
        var app = new JsonObject { ["id"] = id, ["cmd"] = "sleep 3600", ["cpus"] = 0.01, ["mem"] = 8, ["instances"] = instances };
        if (dependency is not null)
        {
            app["dependencies"] = new JsonArray(dependency);
        }
        return app;
    }

    private static async Task WaitRunningAsync(DevServer server, int count)
    {
        // Polls the small deployments list (a task list of thousands polled every 100 ms would itself load the
        // 2-core server); the task count is checked once the deployments are gone.
        var wait = Stopwatch.StartNew();
        while ((await server.GetAsync("/v2/deployments")).AsArray().Count > 0
            || (await server.GetAsync("/v2/tasks?status=running"))["tasks"]!.AsArray().Count < count)
        {
            if (wait.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"{count} tasks did not all run");
            }
            await Task.Delay(100);
        }
    }
}
