using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Harrier.Drivers.Oci;
using Harrier.Testing.Images;

namespace Harrier.Bench;

/// <summary>
/// Container launch rate: a busybox image (<c>sleep 3600</c>) in a local registry, <c>harrier dev --registry-mirror</c>,
/// the image pulled once up front, then per run an app of N container instances POSTed at once. Two times per task,
/// both from the POST: when the API said TASK_RUNNING (the event stream's status update, as it arrived here) and
/// when the container's init had exec'd <c>sleep</c> (its bundle's <c>init.pid</c>, polled every 5 ms). Then the
/// DELETE until the containers are gone; the runtime's own floor (<see cref="CrunFloor"/>); and the server's RSS with
/// <c>--rss-instances</c> containers running. <c>--warmup</c> runs (default 1) go first and are not counted.
/// </summary>
internal static class ContainerBenchmark
{
    private const string Image = "harrier-bench/sleep:latest";

    private static bool s_bridge;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var instances = args.Int("instances", 50);
        var runs = args.Int("runs", 3);
        var rssInstances = args.Int("rss-instances", 100);
        var warmup = args.Int("warmup", 1);
        var imageCmd = args.Values.GetValueOrDefault("image-cmd") == "true";
        // --network bridge: every container on container/bridge with one mapped port. Run the benchmark inside a network
        // namespace of its own (see bench/README.md), so the bridge and its table never touch the machine's network.
        s_bridge = args.Values.GetValueOrDefault("network") == "bridge";
        return await BoundedRun.RunAsync(args, "containers", (work, ct) => RunAsync(instances, runs, warmup, rssInstances, imageCmd, work, ct));
    }

    private static async Task<int> RunAsync(int instances, int runs, int warmup, int rssInstances, bool imageCmd, string work, CancellationToken ct)
    {
        await using var registry = await TestRegistry.StartAsync(cancellationToken: ct);
        var layout = new TestImageBuilder().WithBusybox().WithCmd("sleep", "3600").Build(Path.Combine(work, "image"));
        await registry.PushAsync(layout, Image, ct);
        await using var server = await DevServer.StartAsync("--registry-mirror", $"http://{registry.Host}", "--docker-hub", "none");
        try
        {
            var agentId = await server.AgentIdAsync();
            var pull = Stopwatch.StartNew();
            using (var pulled = await server.Http.PostAsJsonAsync($"/v2/agents/{agentId}/images", new JsonObject { ["image"] = Image }, ct))
            {
                pulled.EnsureSuccessStatusCode();
            }
            Console.WriteLine($"pre-pull of {Image} ({layout.LayerBytes / 1024.0:0} KiB) through the mirror: {pull.Elapsed.TotalMilliseconds:0} ms");
            await using var events = await StatusEvents.StartAsync(server.Http.BaseAddress!);
            var idleRss = server.RssKiB();

            // The first launches run cold code (JIT) in the server: warm-up runs are printed, not counted.
            for (var run = 0; run < warmup; run++)
            {
                Console.WriteLine($"warm-up {run + 1} [{Stats.LoadAverage()}]: {await LaunchAsync(server, events, $"/w{run}", instances, imageCmd, ct)}");
            }
            var results = new List<LaunchResult>();
            for (var run = 0; run < runs; run++)
            {
                var load = Stats.LoadAverage();
                var result = await LaunchAsync(server, events, $"/c{run}", instances, imageCmd, ct);
                results.Add(result);
                Console.WriteLine($"run {run + 1} [{load}]: {result}");
            }

            var floorLoad = Stats.LoadAverage();
            var floor = await CrunFloor.MeasureAsync(instances, ct);
            Console.WriteLine($"crun floor [{floorLoad}]: {floor}");

            var bigLoad = Stats.LoadAverage();
            var big = await LaunchAsync(server, events, "/rss", rssInstances, imageCmd, ct, measureRss: true);
            Console.WriteLine($"{rssInstances} containers [{bigLoad}]: {big}");
            Console.WriteLine($"harrier dev RSS: idle (image pulled, no tasks) {idleRss / 1024.0:0.0} MiB, with {rssInstances} containers running {big.RssKiB / 1024.0:0.0} MiB " +
                $"({(big.RssKiB - idleRss) / (double)rssInstances:0} KiB per container); its descendants (launchers, crun, containers): {big.Descendants}");

            Console.WriteLine();
            Console.WriteLine($"containers ({instances} per run, {runs} runs; median of runs):");
            Console.WriteLine($"  API RUNNING:       {Median(results, r => r.RunningRate):0.0} containers/s (runs {Join(results, r => r.RunningRate, "0.0")}), " +
                $"p50 {Median(results, r => r.RunningP50):0} ms, p99 {Median(results, r => r.RunningP99):0} ms (p99 per run {Join(results, r => r.RunningP99, "0")})");
            Console.WriteLine($"  container running: {Median(results, r => r.ContainerRate):0.0} containers/s (runs {Join(results, r => r.ContainerRate, "0.0")}), " +
                $"p50 {Median(results, r => r.ContainerP50):0} ms, p99 {Median(results, r => r.ContainerP99):0} ms");
            Console.WriteLine($"  DELETE → containers gone: median {Median(results, r => r.GoneMs):0} ms; server CPU per container launched {Median(results, r => r.CpuMsPerContainer):0.0} ms");
            Console.WriteLine($"  crun create+start floor: median {floor.MedianMs:0.0} ms per container, {floor.Rate:0.0} containers/s sequentially");
            Console.WriteLine($"  targets: ≥ 40 containers/s, p99 POST → RUNNING ≤ 1000 ms");
            return 0;
        }
        finally
        {
            if (server.Problems.Count > 0)
            {
                Console.WriteLine($"server warnings/errors ({server.Problems.Count}):");
                foreach (var line in server.Problems.Take(40))
                {
                    Console.WriteLine("  " + line);
                }
            }
        }
    }

    private static async Task<LaunchResult> LaunchAsync(DevServer server, StatusEvents events, string appId, int instances, bool imageCmd, CancellationToken ct, bool measureRss = false)
    {
        var bundles = Path.Combine(server.DataDir, "agent", "oci-bundles");
        var prefix = OciDriver.ContainerIdOf(appId.TrimStart('/')) + ".";
        var containers = new Dictionary<string, long>(StringComparer.Ordinal);
        var body = new JsonObject
        {
            ["id"] = appId,
            ["instances"] = instances,
            ["cpus"] = 0.01,
            ["mem"] = 16,
            ["container"] = new JsonObject { ["type"] = "DOCKER", ["docker"] = new JsonObject { ["image"] = Image } },
        };
        if (s_bridge)
        {
            body["networks"] = new JsonArray(new JsonObject { ["mode"] = "container/bridge" });
            body["container"]!["portMappings"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["name"] = "http" });
        }
        if (!imageCmd)
        {
            // 2026-12-02: an app without cmd or args (the image's CMD) fails on the agent with TASK_ERROR "Invalid
            // launch: exactly one of a shell command or arguments must be given"; --image-cmd true tries it anyway.
            body["args"] = new JsonArray("sleep", "3600");
        }
        var cpu0 = server.CpuTime();
        var posted = Stopwatch.GetTimestamp();
        using (var response = await server.Http.PostAsJsonAsync("/v2/apps", body, ct))
        {
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"POST {appId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
        }
        var deadline = Stopwatch.StartNew();
        IReadOnlyDictionary<string, long> running;
        while (true)
        {
            ScanContainers(bundles, prefix, containers);
            running = events.Tasks(appId, "TASK_RUNNING");
            if (running.Count >= instances && containers.Count >= instances)
            {
                break;
            }
            if (events.Failures(appId) is { Count: > 0 } failed)
            {
                throw new InvalidOperationException($"{appId}: tasks failed: {string.Join(", ", failed.Take(5))}");
            }
            if (events.Failure is { } broken)
            {
                throw new InvalidOperationException("the event stream ended", broken);
            }
            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"{appId}: {running.Count} of {instances} RUNNING, {containers.Count} containers running after 3 minutes");
            }
            await Task.Delay(5, ct);
        }
        var cpu = server.CpuTime() - cpu0;
        var tasks = (await server.GetAsync($"/v2/apps{appId}/tasks"))["tasks"]!.AsArray();
        var apiRunning = tasks.Count(t => (string?)t!["state"] == "TASK_RUNNING");
        if (apiRunning != instances)
        {
            throw new InvalidOperationException($"{appId}: the event stream saw {running.Count} RUNNING but /v2/apps{appId}/tasks lists {apiRunning}");
        }
        var result = new LaunchResult(instances,
            [.. running.Values.Select(at => Stopwatch.GetElapsedTime(posted, at).TotalMilliseconds)],
            [.. containers.Values.Select(at => Stopwatch.GetElapsedTime(posted, at).TotalMilliseconds)],
            cpu.TotalMilliseconds / instances);
        if (measureRss)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct); // let the launch settle (GC, checkpoint)
            result = result with { RssKiB = server.RssKiB(), Descendants = ProcessTree.Describe(server.Pid) };
        }

        var deleted = Stopwatch.StartNew();
        using (var response = await server.Http.DeleteAsync($"/v2/apps{appId}", ct))
        {
            response.EnsureSuccessStatusCode();
        }
        while (true)
        {
            var left = Directory.Exists(bundles) ? Directory.EnumerateDirectories(bundles, prefix + "*").Count() : 0;
            if (left == 0)
            {
                using var app = await server.Http.GetAsync($"/v2/apps{appId}", ct);
                if (app.StatusCode == HttpStatusCode.NotFound && (await server.GetAsync("/v2/tasks"))["tasks"]!.AsArray().Count == 0)
                {
                    break;
                }
            }
            if (deleted.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"{appId}: {left} containers left 2 minutes after the DELETE");
            }
            await Task.Delay(20, ct);
        }
        return result with { GoneMs = deleted.Elapsed.TotalMilliseconds };
    }

    /// <summary>Notes when each container of the app first had <c>sleep</c> as its init (the pid the runtime wrote).</summary>
    private static void ScanContainers(string bundles, string prefix, Dictionary<string, long> running)
    {
        if (!Directory.Exists(bundles))
        {
            return;
        }
        foreach (var dir in Directory.EnumerateDirectories(bundles, prefix + "*"))
        {
            var name = Path.GetFileName(dir);
            if (running.ContainsKey(name))
            {
                continue;
            }
            try
            {
                if (int.TryParse(File.ReadAllText(Path.Combine(dir, "init.pid")).Trim(), out var pid)
                    && File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep")
                {
                    running[name] = Stopwatch.GetTimestamp();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static double Median(List<LaunchResult> results, Func<LaunchResult, double> value) => Stats.Percentile([.. results.Select(value)], 50);

    private static string Join(List<LaunchResult> results, Func<LaunchResult, double> value, string format) =>
        string.Join(", ", results.Select(r => value(r).ToString(format)));

    private sealed record LaunchResult(int Instances, double[] RunningMs, double[] ContainerMs, double CpuMsPerContainer)
    {
        public double RunningRate => Instances / (RunningMs.Max() / 1000);
        public double RunningP50 => Stats.Percentile(RunningMs, 50);
        public double RunningP99 => Stats.Percentile(RunningMs, 99);
        public double ContainerRate => Instances / (ContainerMs.Max() / 1000);
        public double ContainerP50 => Stats.Percentile(ContainerMs, 50);
        public double ContainerP99 => Stats.Percentile(ContainerMs, 99);
        public double GoneMs { get; init; }
        public long RssKiB { get; init; }
        public string Descendants { get; init; } = "";

        public override string ToString() =>
            $"all {Instances} RUNNING after {RunningMs.Max():0} ms ({RunningRate:0.0}/s; p50 {RunningP50:0} ms, p99 {RunningP99:0} ms), " +
            $"all running sleep after {ContainerMs.Max():0} ms ({ContainerRate:0.0}/s; p50 {ContainerP50:0} ms, p99 {ContainerP99:0} ms); " +
            $"server CPU {CpuMsPerContainer:0.0} ms per container; DELETE → gone {GoneMs:0} ms";
    }
}
