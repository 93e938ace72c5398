using System.Diagnostics;
using Harrier.Drivers.Oci;
using Harrier.Linux;
using Xunit;

namespace Harrier.Drivers.Tests.Oci;

/// <summary>
/// Timings, printed and not asserted (run explicitly: <c>dotnet test … -- --explicit only</c>): rootfs preparation,
/// and the runtime's create+start floor against the driver's whole start for the same kind of bundle.
/// </summary>
public sealed class OciMeasurements : IAsyncDisposable
{
    private readonly TestSandbox _sandbox = new();
    private readonly OciTestHost _host;

    public OciMeasurements()
    {
        _host = new OciTestHost(_sandbox);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Explicit = true)]
    public void MountRootfs_FiftyContainers_PrintsPercentiles()
    {
        OciTestHost.Require();
        var times = new List<double>();
        var bundles = new List<OciBundle>();
        for (var i = 0; i < 50; i++)
        {
            var bundle = new OciBundle(_host.Options.BundlesDir, $"m{i}");
            var clock = Stopwatch.StartNew();
            bundle.MountRootfs(_host.Image.LayerDirectories);
            times.Add(clock.Elapsed.TotalMilliseconds);
            bundles.Add(bundle);
        }
        bundles.ForEach(b => b.Remove());
        Report($"rootfs preparation over 50: p50 {Percentile(times, 50):0.00} ms, p99 {Percentile(times, 99):0.00} ms");
    }

    [Fact(Explicit = true)]
    public async Task Start_RuntimeFloorVersusDriver_PrintsMedians()
    {
        OciTestHost.Require();
        var runtime = OciRuntime.Find("crun")!;
        var floor = new List<double>();
        var full = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            // The floor: `crun create` + `crun start` of a bundle the driver generated, until init runs `sleep`.
            var spec = _host.Spec(argv: ["sleep", "1000"]);
            var clock = Stopwatch.StartNew();
            var task = await _host.Driver.StartAsync(spec, Ct);
            var bundleDir = Path.Combine(_host.Options.BundlesDir, task.Handle.State!);
            await WaitRunningAsync(Path.Combine(bundleDir, "init.pid"));
            full.Add(clock.Elapsed.TotalMilliseconds);
            var copy = Path.Combine(_sandbox.Root, "floor-" + i);
            var config = (await File.ReadAllTextAsync(Path.Combine(bundleDir, "config.json"), Ct)).Replace($"/{task.Handle.State}/ctr", $"/floor-{i}/ctr", StringComparison.Ordinal);
            Directory.CreateDirectory(copy);
            await File.WriteAllTextAsync(Path.Combine(copy, "config.json"), config, Ct);
            var bundle = new OciBundle(_sandbox.Root, "floor-" + i);
            bundle.MountRootfs(_host.Image.LayerDirectories);
            await File.WriteAllTextAsync(Path.Combine(copy, "config.json"), config.Replace(Path.Combine(bundleDir, "rootfs"), bundle.Rootfs, StringComparison.Ordinal), Ct);
            var pidFile = Path.Combine(copy, "init.pid");
            clock.Restart();
            await RunAsync(runtime, "--root", _host.Options.RuntimeRoot, "create", "--bundle", copy, "--pid-file", pidFile, "floor-" + i);
            await RunAsync(runtime, "--root", _host.Options.RuntimeRoot, "start", "floor-" + i);
            await WaitRunningAsync(pidFile);
            floor.Add(clock.Elapsed.TotalMilliseconds);
            await task.KillAsync(TimeSpan.Zero, Ct);
            await RunAsync(runtime, "--root", _host.Options.RuntimeRoot, "delete", "-f", "floor-" + i);
            bundle.Remove();
            await CgroupTree.DestroyAsync($"{_host.Options.CgroupParent}/floor-{i}", TimeSpan.FromSeconds(5));
        }
        var line = $"start → sleep running, median of 20: crun create+start {Percentile(floor, 50):0.0} ms; OciDriver.StartAsync {Percentile(full, 50):0.0} ms (p90 {Percentile(floor, 90):0.0} / {Percentile(full, 90):0.0})";
        Report(line);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _sandbox.Dispose();
    }

    /// <summary>To the test output and to <c>$TMPDIR/harrier-oci-measurements.txt</c> (runners hide passing tests' output).</summary>
    private static void Report(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "harrier-oci-measurements.txt"), line + "\n");
    }

    private static async Task WaitRunningAsync(string pidFile)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)
                && File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep")
            {
                return;
            }
            await Task.Delay(1);
        }
        throw new TimeoutException("the container never ran sleep");
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(file, args);
        await process.WaitForExitAsync();
    }

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
    }
}
