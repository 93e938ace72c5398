using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Harrier.Bench;

/// <summary>
/// Time from POST of an app with N instances of <c>sleep 3600</c> (real process driver) to all N RUNNING, as the API
/// reports it (polled every 10 ms). Reports each run, the median, and the per-instance cost.
/// </summary>
internal static class LaunchBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var instances = args.Int("instances", 100);
        var runs = args.Int("runs", 5);
        await using var server = await DevServer.StartAsync();
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var id = $"/bench/launch{run}";
            var body = new JsonObject { ["id"] = id, ["cmd"] = "sleep 3600", ["cpus"] = 0.001, ["mem"] = 1, ["instances"] = instances, ["portDefinitions"] = new JsonArray() };
            var sw = Stopwatch.StartNew();
            (await server.Http.PostAsJsonAsync("/v2/apps", body)).EnsureSuccessStatusCode();
            while (true)
            {
                var app = await server.GetAsync($"/v2/apps{id}?embed=app.counts");
                if (app["app"]!["tasksRunning"]!.GetValue<int>() == instances)
                {
                    break;
                }
                if (sw.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException("instances did not all run");
                }
                await Task.Delay(10);
            }
            sw.Stop();
            times.Add(sw.Elapsed.TotalMilliseconds);
            Console.WriteLine($"run {run + 1}: {instances} instances RUNNING after {sw.Elapsed.TotalMilliseconds:0} ms");
            await server.Http.DeleteAsync($"/v2/apps{id}");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && (await server.GetAsync("/v2/tasks"))["tasks"]!.AsArray().Count > 0)
            {
                await Task.Delay(50);
            }
        }
        var median = Stats.Percentile(times, 50);
        Console.WriteLine($"launch: median {median:0} ms for {instances} instances ({median / instances:0.00} ms per instance), runs: {string.Join(", ", times.Select(t => t.ToString("0")))}");
        return 0;
    }
}
