using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Harrier.Bench;

/// <summary>
/// <c>scheduler</c>: a real <c>harrier server</c> and <c>harrier sim</c> (N simulated agents: real agent logic over
/// HTTP, fake driver) on loopback; POSTs <c>--apps</c> apps sharing <c>--instances</c> instances, then measures the
/// time until every instance is placed (none Scheduled) and RUNNING, placements per second, both processes' RSS, and
/// <c>GET /v2/apps?embed=apps.tasks</c> at that size. <c>--constraint none|unique|group_by</c>.
/// </summary>
internal static partial class SchedulerBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var agents = args.Int("agents", 1000);
        var instances = args.Int("instances", 10_000);
        var apps = args.Int("apps", 10);
        var constraint = args.Values.GetValueOrDefault("constraint", "none");
        var timeout = TimeSpan.FromSeconds(args.Int("timeout", 900));
        var perApp = instances / apps;
        var constraints = constraint switch
        {
            "none" => "",
            "unique" => ""","constraints":[["hostname","UNIQUE"]]""",
            "group_by" => ""","constraints":[["rack","GROUP_BY"]]""",
            _ => throw new ArgumentException("--constraint must be none, unique or group_by"),
        };
        if (constraint == "unique" && perApp > agents)
        {
            throw new ArgumentException("UNIQUE hostname needs instances per app <= agents");
        }

        var port = FreePort();
        var dataDir = Path.Combine(Path.GetTempPath(), "harrier-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        var server = Start(0, "server", "--http-port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", dataDir, "--agent-timeout", "120");
        Process? sim = null;
        try
        {
            await WaitAsync(async () => (await http.GetAsync("/ping")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "the server");
            var registering = Stopwatch.StartNew();
            // The simulated agents stand for other machines: at the lowest CPU priority they take what the server leaves
            // of the two cores instead of competing with it for them.
            sim = Start(args.Int("sim-nice", 19), "sim", "--server", url, "--agents", agents.ToString(CultureInfo.InvariantCulture), "--cpus", "64", "--mem", "262144", "--attributes", "rack:r{i%10}");
            await WaitAsync(async () => Gauge(await http.GetStringAsync("/metrics"), "harrier_agents_connected") >= agents, timeout, $"{agents} agents");
            Console.WriteLine($"{agents} agents registered in {registering.Elapsed.TotalSeconds:0.0} s; server RSS {RssMiB(server)} MiB, sim RSS {RssMiB(sim)} MiB");

            var before = await http.GetStringAsync("/metrics");
            var clock = Stopwatch.StartNew();
            // All apps at once, as one client script would: the server batches what arrives together.
            var postTimes = new System.Collections.Concurrent.ConcurrentBag<double>();
            await Task.WhenAll(Enumerable.Range(0, apps).Select(async a =>
            {
                var body = $$"""{"id":"/bench/app-{{a:D4}}","cmd":"sleep 3600","cpus":0.001,"mem":1,"disk":0,"instances":{{perApp}},"portDefinitions":[]{{constraints}}}""";
                using var response = await http.PostAsync("/v2/apps", new StringContent(body, Encoding.UTF8, "application/json"));
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"POST app {a}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                postTimes.Add(clock.Elapsed.TotalSeconds);
            }));
            var posted = clock.Elapsed;
            var total = perApp * apps;
            TimeSpan? placed = null;
            var atPlaced = "";
            TimeSpan? running = null;
            while (running is null && clock.Elapsed < timeout)
            {
                var metrics = await http.GetStringAsync("/metrics");
                var all = Conditions(metrics);
                var count = all.Values.Sum();
                if (placed is null && count == total && all.GetValueOrDefault("Scheduled") == 0)
                {
                    placed = clock.Elapsed;
                    atPlaced = metrics;
                }
                if (all.GetValueOrDefault("Running") == total)
                {
                    running = clock.Elapsed;
                }
                await Task.Delay(100);
            }
            if (placed is null || running is null)
            {
                throw new TimeoutException($"not all placed/running within {timeout}: {string.Join(", ", Conditions(await http.GetStringAsync("/metrics")))}");
            }
            Console.WriteLine($"constraint {constraint}: {total} instances, {apps} apps, {agents} agents");
            var sortedPosts = postTimes.Order().ToList();
            Console.WriteLine($"  POSTs done after {posted.TotalSeconds:0.00} s (first {sortedPosts[0]:0.00} s, median {sortedPosts[sortedPosts.Count / 2]:0.00} s)");
            Console.WriteLine($"  all placed after {placed.Value.TotalSeconds:0.00} s: {total / placed.Value.TotalSeconds:0} placements/s");
            double Delta(string name) => Sum(atPlaced, name) - Sum(before, name);
            Console.WriteLine($"  server until placed: {Delta("dotnet_process_cpu_time"):0.0} s CPU, GC paused {Delta("dotnet_gc_pause_time"):0.00} s in "
                + $"{Delta("dotnet_gc_collections{gc_heap_generation=\"gen0\"}"):0}/{Delta("dotnet_gc_collections{gc_heap_generation=\"gen1\"}"):0}/{Delta("dotnet_gc_collections{gc_heap_generation=\"gen2\"}"):0} "
                + $"gen0/1/2 collections, {Delta("dotnet_gc_heap_total_allocated") / 1e9:0.0} GB allocated");
            Console.WriteLine($"  all RUNNING after {running.Value.TotalSeconds:0.00} s");
            Console.WriteLine($"  server RSS {RssMiB(server)} MiB, sim RSS {RssMiB(sim)} MiB");
            var after = await http.GetStringAsync("/metrics");
            foreach (var histogram in new[] { "harrier_orchestrator_pass_seconds", "harrier_orchestrator_commit_seconds" })
            {
                var sum = Gauge(after, histogram + "_sum");
                var n = Gauge(after, histogram + "_count");
                Console.WriteLine($"  {histogram}: {n} batches, {sum:0.00} s in all, mean {1000 * sum / Math.Max(1, n):0.00} ms");
            }
            Console.WriteLine($"  commands applied: {Gauge(after, "harrier_orchestrator_commands_total")}");

            var latencies = new List<double>();
            long bytes = 0;
            for (var i = 0; i < 10; i++)
            {
                var sw = Stopwatch.StartNew();
                var text = await http.GetByteArrayAsync("/v2/apps?embed=apps.tasks");
                latencies.Add(sw.Elapsed.TotalMilliseconds);
                bytes = text.Length;
            }
            Console.WriteLine($"  GET /v2/apps?embed=apps.tasks ({bytes / 1024 / 1024} MiB): {Stats.Summary(latencies)}");
            return 0;
        }
        finally
        {
            var simDir = sim is null ? null : $"/dev/shm/harrier-sim-{sim.Id}";
            await StopAsync(sim);
            await StopAsync(server);
            // The simulator removes its work dir when it stops in time; a killed one leaves it behind.
            if (simDir is not null && Directory.Exists(simDir))
            {
                Directory.Delete(simDir, true);
            }
            try
            {
                Directory.Delete(dataDir, true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Starts a harrier verb (10,000 agents need about 11,000 open files in each process: check <c>ulimit -n</c>).</summary>
    private static Process Start(int nice, params string[] args)
    {
        var bin = Environment.GetEnvironmentVariable("HARRIER_BIN") ?? DevServer.FindBinary();
        // nice(1) rather than Process.PriorityClass: Linux priorities are per thread, and only threads started after
        // the change would inherit it.
        var psi = new ProcessStartInfo(nice == 0 ? bin : "nice") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (nice != 0)
        {
            psi.ArgumentList.Add("-n");
            psi.ArgumentList.Add(nice.ToString(CultureInfo.InvariantCulture));
            psi.ArgumentList.Add(bin);
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.StartsWith("harrier sim", StringComparison.Ordinal)))
            {
                Console.Error.WriteLine($"[{args[0]}] {line}");
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Console.Error.WriteLine($"[{args[0]}] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task StopAsync(Process? process)
    {
        if (process is null || process.HasExited)
        {
            return;
        }
        using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await term.WaitForExitAsync();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("waiting for " + what);
    }

    private static long RssMiB(Process process)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>The sum of a metric's series (all label sets, or the one given in <paramref name="name"/>).</summary>
    private static double Sum(string metrics, string name)
    {
        var pattern = name.Contains('{', StringComparison.Ordinal)
            ? "^" + Regex.Escape(name) + @" (\S+)$"
            : "^" + Regex.Escape(name) + @"(?:\{[^}]*\})? (\S+)$";
        return Regex.Matches(metrics, pattern, RegexOptions.Multiline).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    private static double Gauge(string metrics, string name)
    {
        var match = Regex.Match(metrics, "^" + Regex.Escape(name) + @"(?:\{[^}]*\})? (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static Dictionary<string, int> Conditions(string metrics) =>
        ConditionLine().Matches(metrics).ToDictionary(m => m.Groups[1].Value, m => (int)double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex("^harrier_instances\\{condition=\"(\\w+)\"\\} (\\S+)$", RegexOptions.Multiline)]
    private static partial Regex ConditionLine();

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
