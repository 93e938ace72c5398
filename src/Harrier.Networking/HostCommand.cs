using System.Diagnostics;
using System.Text;

namespace Harrier.Networking;

/// <summary>
/// Runs one of the system's network tools (<c>ip</c>, <c>nft</c>, <c>tc</c>, a CNI plugin) with arguments (never
/// through a shell), an optional stdin and environment, a time limit, and output capped so a misbehaving tool cannot
/// grow the agent's memory. A non-zero exit throws <see cref="NetworkSetupException"/> with the tool's own words.
/// </summary>
public static class HostCommand
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private const int MaxOutput = 1 << 20;

    public static async Task<string> RunAsync(
        string file, IReadOnlyList<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var (code, stdout, stderr) = await TryRunAsync(file, args, stdin, environment, timeout, cancellationToken);
        if (code != 0)
        {
            var what = Path.GetFileName(file) + " " + string.Join(' ', args.Take(8));
            var detail = (stderr.Length > 0 ? stderr : stdout).Trim();
            throw new NetworkSetupException($"{what}: {(detail.Length > 400 ? detail[..400] : detail)} (exit {code})");
        }
        return stdout;
    }

    /// <summary>Runs and returns the exit code (-1 on timeout) with stdout and stderr, without throwing for a failure exit.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> TryRunAsync(
        string file, IReadOnlyList<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (var (k, v) in environment)
            {
                start.Environment[k] = v;
            }
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new NetworkSetupException($"could not start {file}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new NetworkSetupException($"could not start {file}: {e.Message}", e);
        }
        using (process)
        {
            var stdout = ReadCappedAsync(process.StandardOutput);
            var stderr = ReadCappedAsync(process.StandardError);
            try
            {
                if (stdin is not null)
                {
                    await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
                }
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The tool exited without reading its input; its exit code says why.
            }
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout ?? DefaultTimeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
                cancellationToken.ThrowIfCancellationRequested();
                return (-1, await stdout, "timed out after " + (timeout ?? DefaultTimeout).TotalSeconds + " s");
            }
            return (process.ExitCode, await stdout, await stderr);
        }
    }

    private static async Task<string> ReadCappedAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        var buffer = new char[8192];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            if (kept.Length < MaxOutput)
            {
                kept.Append(buffer, 0, Math.Min(n, MaxOutput - kept.Length));
            }
        }
        return kept.ToString();
    }
}
