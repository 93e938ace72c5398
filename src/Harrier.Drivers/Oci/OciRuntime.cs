using System.Diagnostics;
using System.Text;

namespace Harrier.Drivers.Oci;

/// <summary>
/// The OCI runtime binary (crun or runc) with the agent's private state root. Short commands (kill, delete, list,
/// exec) run as child processes with a timeout; <c>run</c> is only ever started by a task's launcher.
/// </summary>
internal sealed class OciRuntime
{
    private static readonly string[] StandardPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    public OciRuntime(string binary, string root)
    {
        Binary = binary;
        Root = root;
    }

    public string Binary { get; }

    public string Root { get; }

    /// <summary>An absolute path as is, else the first match on PATH or the standard directories; null when absent.</summary>
    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return path.Concat(StandardPath).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>The foreground <c>run</c>: it stays the container's parent and exits with its status (128+n for signal n).</summary>
    public IReadOnlyList<string> RunArgv(string bundle, string pidFile, string id) =>
        [Binary, "--root", Root, "run", "--bundle", bundle, "--pid-file", pidFile, id];

    /// <summary>True while the runtime keeps state for the container (created, running, or stopped and not deleted).</summary>
    public bool HasState(string id) => Directory.Exists(Path.Combine(Root, id));

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }
        var (code, output) = await RunAsync(["list", "-q"], CommandTimeout, cancellationToken);
        return code == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    }

    public Task KillAllAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(["kill", "--all", id, "KILL"], CommandTimeout, cancellationToken);

    public Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(["delete", "-f", id], CommandTimeout, cancellationToken);

    /// <summary>
    /// Runs <c>RUNTIME --root ROOT args…</c> with stdout and stderr combined, keeping the first
    /// <paramref name="maxOutput"/> characters. On timeout calls <paramref name="onTimeout"/> (to end what the command
    /// started), then kills the command; the exit code is then null.
    /// </summary>
    public async Task<(int? ExitCode, string Output)> RunAsync(IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken, Action? onTimeout = null, int maxOutput = 4096)
    {
        // One pipe for both streams keeps their interleaving as the command wrote it.
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])["-c", "exec \"$@\" 2>&1", "sh", Binary, "--root", Root, .. args])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new IOException("could not start " + Binary);
        var kept = new StringBuilder();
        var reading = ReadCappedAsync(process.StandardOutput, kept, maxOutput);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token);
            return (process.ExitCode, await OutputAsync(reading, kept));
        }
        catch (OperationCanceledException)
        {
            onTimeout?.Invoke();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
            cancellationToken.ThrowIfCancellationRequested();
            return (null, await OutputAsync(reading, kept));
        }
    }

    /// <summary>What was read, waiting briefly for the pipe's end: a process the command left behind may hold it open.</summary>
    private static async Task<string> OutputAsync(Task reading, StringBuilder kept)
    {
        await reading.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (kept)
        {
            return kept.ToString();
        }
    }

    private static async Task ReadCappedAsync(StreamReader reader, StringBuilder kept, int max)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            lock (kept)
            {
                kept.Append(buffer, 0, Math.Min(n, Math.Max(0, max - kept.Length)));
            }
        }
    }
}
