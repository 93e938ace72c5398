using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Harrier.Bench;

/// <summary>
/// A health-gated rolling upgrade at size: N <c>harrier-testapp</c> tasks (real processes) with an HTTP health check
/// (interval 1 s, timeout 5 s, grace 300 s), upgradeStrategy (1, 0.2). Measures one instance's POST-to-healthy time, then the wall time
/// from the upgrade's PUT to the deployment's end, against the floor of <c>ceil(N / (N × 0.2))</c> waves, each at
/// least one start-to-healthy long. <c>--timeout S</c> (default 600) bounds the rollout; the server is cleaned up either way.
/// </summary>
internal static class RolloutBenchmark
{
    private const double MaxOverCapacity = 0.2;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var instances = args.Int("instances", 100);
        var limit = TimeSpan.FromSeconds(args.Int("timeout", 600));
        var dll = TestAppDll();
        var dotnet = DotnetHost();
        await using var server = await DevServer.StartAsync("--cpus", "1000", "--mem", "1000000");

        // One instance alone: POST to healthy, three times; the median is one wave's floor.
        var singles = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var id = $"/bench/single{run}";
            var sw = Stopwatch.StartNew();
            (await server.Http.PostAsJsonAsync("/v2/apps", App(id, 1, dotnet, dll, "v1"))).EnsureSuccessStatusCode();
            await WaitHealthyAsync(server, id, 1, TimeSpan.FromMinutes(1));
            singles.Add(sw.Elapsed.TotalMilliseconds);
            await server.Http.DeleteAsync($"/v2/apps{id}");
        }
        var startToHealthy = Stats.Percentile(singles, 50);
        Console.WriteLine($"one instance POST -> healthy: median {startToHealthy:0} ms (runs {string.Join(", ", singles.Select(s => s.ToString("0")))})");

        const string app = "/bench/rollout";
        var deploy = Stopwatch.StartNew();
        (await server.Http.PostAsJsonAsync("/v2/apps", App(app, instances, dotnet, dll, "v1"))).EnsureSuccessStatusCode();
        await WaitHealthyAsync(server, app, instances, TimeSpan.FromMinutes(5));
        Console.WriteLine($"{instances} instances healthy after {deploy.Elapsed.TotalMilliseconds:0} ms");

        var rollout = Stopwatch.StartNew();
        var put = await server.Http.PutAsJsonAsync($"/v2/apps{app}", new JsonObject { ["cmd"] = Cmd(dotnet, dll, "v2"), ["resourceLimits"] = new JsonObject { ["cpus"] = "unlimited" } });
        put.EnsureSuccessStatusCode();
        var deploymentId = (await put.Content.ReadFromJsonAsync<JsonObject>())!["deploymentId"]!.GetValue<string>();
        while ((await server.GetAsync("/v2/deployments")).AsArray().Any(d => d!["id"]!.GetValue<string>() == deploymentId))
        {
            if (rollout.Elapsed > limit)
            {
                var state = (await server.GetAsync($"/v2/apps{app}"))["app"]!;
                throw new TimeoutException($"deployment {deploymentId} did not finish in {limit.TotalSeconds:0} s " +
                    $"(tasksRunning {state["tasksRunning"]}, tasksHealthy {state["tasksHealthy"]})");
            }
            await Task.Delay(50);
        }
        var wall = rollout.Elapsed.TotalMilliseconds;
        await WaitHealthyAsync(server, app, instances, TimeSpan.FromMinutes(1));

        var perWave = Math.Max(1, (int)(instances * (1 + MaxOverCapacity)) - instances);
        var waves = (int)Math.Ceiling(instances / (double)perWave);
        var floor = waves * startToHealthy;
        Console.WriteLine($"rollout: {instances} instances, (1, {MaxOverCapacity}): wall {wall:0} ms vs theoretical minimum {floor:0} ms " +
            $"({waves} waves of {perWave} × {startToHealthy:0} ms), ratio {wall / floor:0.00}");
        return 0;
    }

    private static JsonObject App(string id, int instances, string dotnet, string dll, string version) => new()
    {
        ["id"] = id,
        ["cmd"] = Cmd(dotnet, dll, version),
        ["cpus"] = 0.01,
        ["mem"] = 128,
        ["resourceLimits"] = new JsonObject { ["cpus"] = "unlimited" },
        ["instances"] = instances,
        ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0 }),
        ["healthChecks"] = new JsonArray(new JsonObject
        {
            ["protocol"] = "HTTP",
            ["path"] = "/health",
            ["portIndex"] = 0,
            ["intervalSeconds"] = 1,
            // Marathon's default grace: a 2-core machine starting 100 .NET processes at once needs minutes, and a
            // shorter grace turns that into a kill-and-relaunch storm before the upgrade is even measured.
            ["timeoutSeconds"] = 5,
            ["gracePeriodSeconds"] = 300,
            ["maxConsecutiveFailures"] = 3,
        }),
        ["upgradeStrategy"] = new JsonObject { ["minimumHealthCapacity"] = 1, ["maximumOverCapacity"] = MaxOverCapacity },
    };

    private static string Cmd(string dotnet, string dll, string version) => $"exec {dotnet} {dll} --version-string {version}";

    private static async Task WaitHealthyAsync(DevServer server, string id, int count, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var app = (await server.GetAsync($"/v2/apps{id}"))["app"]!;
            if (app["tasksHealthy"]!.GetValue<int>() == count && app["tasksRunning"]!.GetValue<int>() == count)
            {
                return;
            }
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"{id}: {app["tasksHealthy"]} of {count} healthy after {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>The dotnet host by absolute path (tasks need not have it on their PATH).</summary>
    internal static string DotnetHost() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists) ?? "dotnet";

    /// <summary>HARRIER_TESTAPP_DLL, or testassets/Harrier.TestApp's Release (then Debug) build above this binary.</summary>
    internal static string TestAppDll()
    {
        if (Environment.GetEnvironmentVariable("HARRIER_TESTAPP_DLL") is { Length: > 0 } fromEnv && File.Exists(fromEnv))
        {
            return fromEnv;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var config in new[] { "Release", "Debug" })
            {
                var path = Path.Combine(dir.FullName, "testassets", "Harrier.TestApp", "bin", config, "net10.0", "harrier-testapp.dll");
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }
        throw new InvalidOperationException("Build testassets/Harrier.TestApp first (dotnet build testassets/Harrier.TestApp -c Release), or set HARRIER_TESTAPP_DLL");
    }
}
