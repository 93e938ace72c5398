using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Harrier.Testing.Images;

namespace Harrier.Bench;

/// <summary>
/// Image pull speed: a <c>--layers</c>-layer image of <c>--mb</c> MiB of random (incompressible) 1 MiB files, gzip
/// layers (<c>--gzip docker</c>, the default: zlib's default level, as <c>docker push</c> writes them, so the random
/// bytes are stored blocks; <c>--gzip fastest</c>: static-Huffman literals, 5.5 % larger and slow to inflate), in a
/// local registry. Per run, in alternating order: <c>skopeo copy</c> to a fresh OCI layout (download and
/// verify) and a cold pull by <c>harrier dev</c>'s agent (<c>POST /v2/agents/ID/images</c> with <c>forcePull</c>
/// after removing the image: download, verify, unpack). Then a second image sharing all but the top layer, with a
/// new 1 MiB top layer, pulled next to the first through a byte-counting relay: its time, bytes and new layer dirs.
/// </summary>
internal static class PullBenchmark
{
    /// <summary>Runs reported apart, as the agent's JIT warm-up, when there are more.</summary>
    private const int WarmUpRuns = 10;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var layers = args.Int("layers", 5);
        var mb = args.Int("mb", 100);
        var runs = args.Int("runs", 3);
        var gzip = args.Values.GetValueOrDefault("gzip", "docker") switch
        {
            "docker" => LayerCompression.GzipDefault,
            "fastest" => LayerCompression.Gzip,
            var other => throw new ArgumentException($"--gzip is docker or fastest, not '{other}'"),
        };
        return await BoundedRun.RunAsync(args, "pull", (work, ct) => RunAsync(layers, mb, runs, gzip, work, ct));
    }

    private static async Task<int> RunAsync(int layerCount, int mb, int runs, LayerCompression gzip, string work, CancellationToken ct)
    {
        var build = Stopwatch.StartNew();
        var random = new Random(42);
        var layers = new List<TestLayer>();
        for (var i = 0; i < layerCount; i++)
        {
            var layer = new TestLayer().Directory($"l{i}/");
            var files = mb / layerCount + (i < mb % layerCount ? 1 : 0);
            for (var f = 0; f < files; f++)
            {
                var content = new byte[1 << 20];
                random.NextBytes(content);
                layer.File($"l{i}/f{f}.bin", content);
            }
            layers.Add(layer);
        }
        var v1 = new TestImageBuilder();
        layers.ForEach(l => v1.WithLayer(l, gzip));
        var layout1 = v1.Build(Path.Combine(work, "v1"));
        var top = new byte[1 << 20];
        new Random(43).NextBytes(top);
        var v2 = new TestImageBuilder();
        layers.Take(layerCount - 1).ToList().ForEach(l => v2.WithLayer(l, gzip));
        v2.WithLayer(new TestLayer().Directory("top/").File("top/f.bin", top), gzip);
        var layout2 = v2.Build(Path.Combine(work, "v2"));
        if (!layout1.LayerDigests.Take(layerCount - 1).SequenceEqual(layout2.LayerDigests.Take(layerCount - 1)))
        {
            throw new InvalidOperationException("the second image does not share the first one's lower layers");
        }
        var newLayerBytes = new FileInfo(layout2.BlobPath(layout2.LayerDigests[^1])).Length;
        Console.WriteLine($"built {layerCount} gzip layers ({(gzip == LayerCompression.GzipDefault ? "default level, as docker push" : "fastest level")}), {layout1.LayerBytes / 1e6:0.0} MB, in {build.Elapsed.TotalSeconds:0.0} s; " +
            $"second image: {layerCount - 1} shared + 1 new layer of {newLayerBytes / 1e6:0.00} MB");

        await using var registry = await TestRegistry.StartAsync(cancellationToken: ct);
        await registry.PushAsync(layout1, "bench/big:v1", ct);
        await registry.PushAsync(layout2, "bench/big:v2", ct);
        await using var proxy = new CountingProxy(registry.Port);
        await using var server = await DevServer.StartAsync("--insecure-registry", registry.Host, "--insecure-registry", proxy.Host);
        try
        {
            var agentId = await server.AgentIdAsync();
            var layerDirs = Path.Combine(server.DataDir, "agent", "images", "layers");
            int LayerDirs() => Directory.Exists(layerDirs) ? Directory.EnumerateDirectories(layerDirs).Count() : 0;
            var image1 = registry.Reference("bench/big:v1");

            var skopeo = new List<double>();
            var harrier = new List<double>();
            var cpu = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                double s = 0, h = 0;
                var load = Stats.LoadAverage();
                for (var step = 0; step < 2; step++)
                {
                    if ((step + run) % 2 == 0)
                    {
                        var dir = Path.Combine(work, "skopeo-" + run);
                        var clock = Stopwatch.StartNew();
                        await TestRegistry.RunAsync("skopeo", ["copy", "--quiet", "--src-tls-verify=false", $"docker://{image1}", $"oci:{dir}:v1"], ct);
                        s = clock.Elapsed.TotalMilliseconds;
                        Directory.Delete(dir, true);
                    }
                    else
                    {
                        await RemoveAsync(server, agentId, image1, ct);
                        if (LayerDirs() != 0)
                        {
                            throw new InvalidOperationException($"{LayerDirs()} layer directories left after removing the image: not a cold pull");
                        }
                        var cpu0 = server.CpuTime();
                        h = await PullAsync(server, agentId, image1, ct);
                        cpu.Add((server.CpuTime() - cpu0).TotalMilliseconds);
                        if (LayerDirs() != layerCount)
                        {
                            throw new InvalidOperationException($"{LayerDirs()} layer directories after the pull, expected {layerCount}");
                        }
                    }
                }
                skopeo.Add(s);
                harrier.Add(h);
                Console.WriteLine($"run {run + 1} ({((run % 2 == 0) ? "skopeo first" : "harrier first")}, {load}): skopeo copy {s / 1000:0.00} s, harrier cold pull {h / 1000:0.00} s " +
                    $"(server CPU {cpu[^1] / 1000:0.00} s), ratio {h / s:0.00}");
            }
            var ratios = skopeo.Zip(harrier, (s, h) => h / s).ToList();

            // The second image next to the first: only its new top layer should travel.
            var image2 = $"{proxy.Host}/bench/big:v2";
            var shared = new List<(double Ms, long Bytes, int NewDirs)>();
            for (var run = 0; run < runs; run++)
            {
                await RemoveAsync(server, agentId, image2, ct);
                var before = LayerDirs();
                var bytes = proxy.Served;
                var ms = await PullAsync(server, agentId, image2, ct);
                shared.Add((ms, proxy.Served - bytes, LayerDirs() - before));
                Console.WriteLine($"shared-base pull {run + 1}: {ms:0} ms, {(proxy.Served - bytes) / 1e6:0.000} MB from the registry, {LayerDirs() - before} new layer dir(s) (of {LayerDirs()})");
            }
            // The same image cold, for comparison.
            await RemoveAsync(server, agentId, image2, ct);
            await RemoveAsync(server, agentId, image1, ct);
            var coldBytes = proxy.Served;
            var coldMs = await PullAsync(server, agentId, image2, ct);
            coldBytes = proxy.Served - coldBytes;
            Console.WriteLine($"the second image cold (through the relay): {coldMs:0} ms, {coldBytes / 1e6:0.0} MB, {LayerDirs()} layer dirs");

            Console.WriteLine();
            Console.WriteLine($"pull ({layerCount} layers, {layout1.LayerBytes / 1e6:0.0} MB, {runs} runs; medians):");
            Console.WriteLine($"  skopeo copy → OCI layout: {Stats.Percentile(skopeo, 50) / 1000:0.00} s (runs {string.Join(", ", skopeo.Select(t => (t / 1000).ToString("0.00")))})");
            Console.WriteLine($"  harrier cold pull:        {Stats.Percentile(harrier, 50) / 1000:0.00} s (runs {string.Join(", ", harrier.Select(t => (t / 1000).ToString("0.00")))}), server CPU {Stats.Percentile(cpu, 50) / 1000:0.00} s");
            Console.WriteLine($"  ratio harrier/skopeo:     {Stats.Percentile(ratios, 50):0.00} (pairs {string.Join(", ", ratios.Select(r => r.ToString("0.00")))})");
            if (runs > WarmUpRuns)
            {
                // A fresh agent runs the pull's code unoptimized at first: each per-layer method runs five times a pull, and
                // the JIT tiers a method up after 30 calls (twice, with the instrumented tier between).
                Console.WriteLine($"  after the first {WarmUpRuns} runs:   ratio {Stats.Percentile([.. ratios.Skip(WarmUpRuns)], 50):0.00}, harrier " +
                    $"{Stats.Percentile([.. harrier.Skip(WarmUpRuns)], 50) / 1000:0.00} s, server CPU {Stats.Percentile([.. cpu.Skip(WarmUpRuns)], 50) / 1000:0.00} s");
            }
            Console.WriteLine($"  shared base, 2nd image:   {Stats.Percentile([.. shared.Select(x => x.Ms)], 50):0} ms, {shared.Select(x => x.Bytes).Order().ElementAt(shared.Count / 2) / 1e6:0.000} MB " +
                $"(new layer blob {newLayerBytes / 1e6:0.000} MB), new layer dirs {string.Join(", ", shared.Select(x => x.NewDirs))}; cold {coldMs:0} ms, {coldBytes / 1e6:0.0} MB");
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

    /// <summary>Pulls through the agent; returns the wall time of the request in ms.</summary>
    private static async Task<double> PullAsync(DevServer server, string agentId, string image, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var response = await server.Http.PostAsJsonAsync($"/v2/agents/{agentId}/images", new JsonObject { ["image"] = image, ["forcePull"] = true }, ct);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"pull of {image}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
        return elapsed;
    }

    private static async Task RemoveAsync(DevServer server, string agentId, string image, CancellationToken ct)
    {
        using var response = await server.Http.DeleteAsync($"/v2/agents/{agentId}/images?image={Uri.EscapeDataString(image)}", ct);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException($"removing {image}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
