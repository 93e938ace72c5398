using System.Diagnostics;

namespace Harrier.E2E.Tests;

/// <summary>
/// What a test's agent may leave of its containers when the test kills it: the runtime's containers under the data
/// dir's runtime root (killed and deleted), the overlay and bind mounts under the data dir (lazily unmounted, deepest
/// first), and the containers' cgroups.
/// </summary>
internal static class ContainerCleanup
{
    public static async Task RemoveAsync(string dataDir)
    {
        foreach (var root in Directory.Exists(dataDir) ? Directory.EnumerateDirectories(dataDir, "oci-runtime", SearchOption.AllDirectories).ToList() : [])
        {
            var ids = (await RunAsync("crun", "--root", root, "list", "-q")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var id in ids)
            {
                await RunAsync("crun", "--root", root, "kill", "--all", id, "KILL");
                await RunAsync("crun", "--root", root, "delete", "-f", id);
                await HarrierDev.RemoveCgroupsAsync([id]);
            }
        }
        var mounts = File.ReadAllLines("/proc/self/mountinfo")
            .Select(l => l.Split(' ')[4])
            .Where(m => m.StartsWith(dataDir.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Length);
        foreach (var mount in mounts)
        {
            await RunAsync("umount", "-l", mount);
        }
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await p.WaitForExitAsync(timeout.Token);
            return await output;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return "";
        }
    }
}
