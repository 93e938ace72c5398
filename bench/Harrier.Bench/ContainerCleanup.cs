using System.Diagnostics;

namespace Harrier.Bench;

/// <summary>
/// What a container benchmark leaves behind when something fails: containers in a runtime root of ours, mounts under
/// a directory of ours, and cgroups of those containers (<c>/sys/fs/cgroup/*/harrier/ID</c>). Touches only what
/// its arguments name.
/// </summary>
internal static class ContainerCleanup
{
    /// <summary>Removes the containers, mounts and cgroups a <c>harrier dev --data-dir</c> left (after its process
    /// has gone). Prints what it had to remove.</summary>
    public static async Task RemoveDevLeftoversAsync(string dataDir)
    {
        var agent = Path.Combine(dataDir, "agent");
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        var runtimeRoot = Path.Combine(agent, "oci-runtime");
        if (Directory.Exists(runtimeRoot))
        {
            var running = await ListAsync(runtimeRoot);
            ids.UnionWith(running);
            foreach (var id in running)
            {
                Console.Error.WriteLine($"cleanup: deleting leftover container {id}");
                await RunAsync("crun", "--root", runtimeRoot, "delete", "-f", id);
            }
        }
        var bundles = Path.Combine(agent, "oci-bundles");
        if (Directory.Exists(bundles))
        {
            ids.UnionWith(Directory.EnumerateDirectories(bundles).Select(d => Path.GetFileName(d)));
        }
        await UnmountUnderAsync(dataDir);
        foreach (var id in ids)
        {
            RemoveCgroups("harrier/" + id);
        }
    }

    /// <summary>Container ids in a runtime root.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(string runtimeRoot)
    {
        var (code, output) = await RunAsync("crun", "--root", runtimeRoot, "list", "-q");
        return code == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    }

    /// <summary>Unmounts every mount point under <paramref name="directory"/>, deepest first.</summary>
    public static async Task UnmountUnderAsync(string directory)
    {
        var prefix = Path.GetFullPath(directory).TrimEnd('/') + "/";
        var points = File.ReadLines("/proc/self/mountinfo")
            .Select(l => Unescape(l.Split(' ')[4]))
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(p => p.Length)
            .ToList();
        foreach (var point in points)
        {
            Console.Error.WriteLine($"cleanup: unmounting {point}");
            if ((await RunAsync("umount", point)).Code != 0)
            {
                await RunAsync("umount", "-l", point);
            }
        }
    }

    /// <summary>Removes <c>/sys/fs/cgroup/CONTROLLER/RELATIVE</c> (and its children) in every hierarchy where it
    /// exists and is empty.</summary>
    public static void RemoveCgroups(string relative)
    {
        if (!Directory.Exists("/sys/fs/cgroup"))
        {
            return;
        }
        var roots = new List<string> { "/sys/fs/cgroup" };
        roots.AddRange(Directory.EnumerateDirectories("/sys/fs/cgroup"));
        foreach (var root in roots)
        {
            var path = Path.Combine(root, relative);
            if (Directory.Exists(path))
            {
                RemoveCgroupTree(path);
            }
        }
    }

    private static void RemoveCgroupTree(string path)
    {
        foreach (var child in Directory.EnumerateDirectories(path))
        {
            RemoveCgroupTree(child);
        }
        try
        {
            Directory.Delete(path, recursive: false); // rmdir: a cgroup's control files go with it
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"cleanup: cannot remove cgroup {path}: {e.Message}");
        }
    }

    private static string Unescape(string mountinfoPath) =>
        mountinfoPath.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    /// <summary>Runs a tool with a 30 s limit; returns its exit code (-1 on timeout) and standard output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            process.Kill();
            return (-1, "");
        }
        var error = await stderr;
        if (process.ExitCode != 0 && error.Length > 0)
        {
            Console.Error.WriteLine($"{file} {string.Join(' ', args)}: {error.Trim()}");
        }
        return (process.ExitCode, await stdout);
    }
}
