using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Harrier.LoadBalancer;
using Harrier.LoadBalancer.Marathon;
using Harrier.LoadBalancer.Rendering;

namespace Harrier.Bench.Lb;

/// <summary>
/// The renderer alone: a <c>/v2/apps?embed=apps.tasks</c> body of A apps × I tasks (vhost, health check, group
/// labels, as the guides' apps) through <see cref="LbRenderer"/>, marathon-lb's and the live dialect, R runs each.
/// </summary>
internal static class LbRenderBenchmark
{
    public static int Run(BenchArgs options)
    {
        var apps = options.Int("apps", 1000);
        var instances = options.Int("instances", 3);
        var runs = options.Int("runs", 20);
        var body = Body(apps, instances);
        Console.WriteLine($"render: {apps} apps × {instances} tasks, body {body.Length / 1024} KiB, {runs} runs; {Stats.LoadAverage()}");
        foreach (var (name, options2) in new[]
        {
            ("marathon-lb dialect", new LbOptions { HealthCheck = true }),
            ("live (HAProxy 2.6, work dir)", new LbOptions { HealthCheck = true, Live = new LbPaths("/tmp/harrier-lb-bench") }),
            ("live with --haproxy-map", new LbOptions { HealthCheck = true, HaproxyMap = true, Live = new LbPaths("/tmp/harrier-lb-bench") }),
        })
        {
            var cache = new LbHealthCache();
            RenderedConfig? config = null;
            for (var i = 0; i < 3; i++)
            {
                config = LbRenderer.Render(body, options2, cache);
            }
            var times = new List<double>();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                config = LbRenderer.Render(body, options2, cache);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            var perRun = (GC.GetAllocatedBytesForCurrentThread() - allocated) / runs;
            Console.WriteLine($"  {name}: {Stats.Summary(times)}; {config!.Servers.Count} servers, config {config.Config.Length / 1024} KiB, {perRun / (1024 * 1024)} MiB allocated per render");
        }
        return 0;
    }

    internal static string Body(int apps, int instances)
    {
        var list = new JsonArray();
        for (var a = 0; a < apps; a++)
        {
            var tasks = new JsonArray();
            for (var t = 0; t < instances; t++)
            {
                tasks.Add(new JsonObject
                {
                    ["id"] = $"app{a}.{t}",
                    ["host"] = $"10.0.{t}.{a % 250 + 1}",
                    ["ports"] = new JsonArray(20000 + a),
                    ["state"] = "TASK_RUNNING",
                    ["healthCheckResults"] = new JsonArray(new JsonObject { ["alive"] = true }),
                });
            }
            list.Add(new JsonObject
            {
                ["id"] = $"/group{a % 10}/app{a}",
                ["labels"] = new JsonObject
                {
                    ["HAPROXY_GROUP"] = "external",
                    ["HAPROXY_0_VHOST"] = $"app{a}.example.com",
                },
                ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 10000 + a, ["protocol"] = "tcp", ["name"] = "http" }),
                ["healthChecks"] = new JsonArray(new JsonObject { ["protocol"] = "HTTP", ["path"] = "/health", ["portIndex"] = 0, ["intervalSeconds"] = 2, ["timeoutSeconds"] = 1, ["maxConsecutiveFailures"] = 3 }),
                ["tasks"] = tasks,
            });
        }
        return new JsonObject { ["apps"] = list }.ToJsonString();
    }

    internal static string Number(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
}
