using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Harrier.Bench;

/// <summary>
/// The runtime's floor for one container: <c>crun create</c> + <c>crun start</c> of a bundle like the OCI driver's
/// (the default <c>crun spec</c> with the host network, <c>sleep 3600</c>, a cgroup under <c>harrier/</c>) on one
/// shared read-only busybox root (no overlayfs, no task cgroup with limits, no launcher), N times one after the other,
/// each until its init has exec'd <c>sleep</c>. Uses its own <c>--root</c> under a temp directory; deletes every
/// container, cgroup and file it made, also on failure.
/// </summary>
internal static class CrunFloor
{
    public sealed record Result(double MedianMs, double P90Ms, double TotalMs, int Count, double DeleteMedianMs)
    {
        public double Rate => Count / (TotalMs / 1000);

        public override string ToString() =>
            $"{Count} × crun create+start → sleep: median {MedianMs:0.0} ms, p90 {P90Ms:0.0} ms, {Rate:0.0} containers/s sequentially; crun delete -f median {DeleteMedianMs:0.0} ms";
    }

    public static async Task<Result> MeasureAsync(int count, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "harrier-bench-crun-" + Environment.ProcessId);
        var root = Path.Combine(dir, "root");
        var tag = "bench-floor-" + Environment.ProcessId;
        var ids = new List<string>();
        try
        {
            var rootfs = Path.Combine(dir, "rootfs");
            foreach (var sub in new[] { "bin", "proc", "dev", "sys", "tmp", "etc" })
            {
                Directory.CreateDirectory(Path.Combine(rootfs, sub));
            }
            File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", "sleep"), "busybox");
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", "sh"), "busybox");
            Directory.CreateDirectory(root);
            var template = Path.Combine(dir, "template");
            Directory.CreateDirectory(template);
            if ((await ContainerCleanup.RunAsync("crun", "spec", "-b", template)).Code != 0)
            {
                throw new InvalidOperationException("crun spec failed");
            }
            var spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(template, "config.json"), ct))!;
            spec["process"]!["args"] = new JsonArray("sleep", "3600");
            spec["process"]!["terminal"] = false;
            spec["root"] = new JsonObject { ["path"] = rootfs, ["readonly"] = true };
            var namespaces = spec["linux"]!["namespaces"]!.AsArray();
            foreach (var network in namespaces.Where(n => (string?)n!["type"] == "network").ToList())
            {
                namespaces.Remove(network); // the host's network, as Harrier's HOST mode
            }
            var times = new List<double>();
            for (var i = 0; i < count; i++)
            {
                var id = $"{tag}-{i}";
                var bundle = Path.Combine(dir, "b" + i);
                Directory.CreateDirectory(bundle);
                spec["linux"]!["cgroupsPath"] = $"/harrier/{id}";
                await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), spec.ToJsonString(), ct);
                var pidFile = Path.Combine(bundle, "init.pid");
                var clock = Stopwatch.StartNew();
                ids.Add(id);
                await RunQuietAsync(ct, "--root", root, "create", "--bundle", bundle, "--pid-file", pidFile, id);
                await RunQuietAsync(ct, "--root", root, "start", id);
                await WaitSleepAsync(pidFile, ct);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            // Only the create+start spans count (not writing the config files in between).
            var measured = times.Sum();
            var deletes = new List<double>();
            foreach (var id in ids.ToList())
            {
                var clock = Stopwatch.StartNew();
                await RunQuietAsync(ct, "--root", root, "delete", "-f", id);
                deletes.Add(clock.Elapsed.TotalMilliseconds);
                ids.Remove(id);
            }
            return new Result(Stats.Percentile(times, 50), Stats.Percentile(times, 90), measured, count, Stats.Percentile(deletes, 50));
        }
        finally
        {
            foreach (var id in ids)
            {
                await ContainerCleanup.RunAsync("crun", "--root", root, "delete", "-f", id);
            }
            for (var i = 0; i < count; i++)
            {
                ContainerCleanup.RemoveCgroups($"harrier/{tag}-{i}");
            }
            if (Directory.Exists(dir))
            {
                await ContainerCleanup.UnmountUnderAsync(dir);
                Directory.Delete(dir, true);
            }
        }
    }

    /// <summary>Runs the crun with this process's standard streams (a container's init inherits them, so a pipe
    /// would stay open as long as the container runs); throws when it fails.</summary>
    private static async Task RunQuietAsync(CancellationToken ct, params string[] args)
    {
        using var process = Process.Start("crun", args);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"crun {string.Join(' ', args)} exited {process.ExitCode}");
        }
    }

    private static async Task WaitSleepAsync(string pidFile, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                if (int.TryParse((await File.ReadAllTextAsync(pidFile, ct)).Trim(), out var pid)
                    && (await File.ReadAllTextAsync($"/proc/{pid}/comm", ct)).Trim() == "sleep")
                {
                    return;
                }
            }
            catch (IOException)
            {
            }
            await Task.Delay(1, ct);
        }
        throw new TimeoutException("the container never ran sleep");
    }
}
