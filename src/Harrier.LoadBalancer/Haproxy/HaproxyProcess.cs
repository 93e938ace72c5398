using System.Diagnostics;
using System.Globalization;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// The process side of HAProxy: <c>haproxy -c</c>, starting the detached master-worker, recognising our own master
/// in /proc, and signals. Every child run is bounded; a run that overstays is killed.
/// </summary>
internal static class HaproxyProcess
{
    /// <summary>Runs a program to its end (bounded), returning its exit code and its stdout and stderr together.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0.#}s");
        }
        var output = (await stderr + await stdout).Trim();
        return (process.ExitCode, output);
    }

    /// <summary>Null when HAProxy accepts the file, else its error text (the <c>[ALERT]</c> lines).</summary>
    public static async Task<string?> ValidateAsync(string binary, string configFile, TimeSpan timeout, CancellationToken ct)
    {
        var (code, output) = await RunAsync(binary, ["-c", "-f", configFile], timeout, ct);
        if (code == 0)
        {
            return null;
        }
        var alerts = output.Split('\n').Where(l => l.Contains("[ALERT]", StringComparison.Ordinal)).ToList();
        return alerts.Count > 0 ? string.Join('\n', alerts) : output.Length > 0 ? output : $"haproxy -c exited with {code}";
    }

    /// <summary>
    /// Starts <c>haproxy -W -D -S master.sock -f cfg -p pidfile</c>. Its output goes to a log file in the work
    /// directory, never to our own stdout: the daemon would hold our pipes open for its whole life.
    /// </summary>
    public static async Task<string?> StartAsync(string binary, LbPaths paths, TimeSpan timeout, CancellationToken ct)
    {
        var log = Path.Combine(paths.WorkDirectory, "haproxy-start.log");
        File.WriteAllText(log, "");
        // Paths travel as positional parameters, never inside the script text.
        var (code, _) = await RunAsync("/bin/sh",
            ["-c", "exec \"$0\" -W -D -S \"$1\" -f \"$2\" -p \"$3\" </dev/null >>\"$4\" 2>&1", binary, paths.MasterSocket, paths.ConfigFile, paths.PidFile, log],
            timeout, ct);
        if (code == 0)
        {
            return null;
        }
        var text = File.ReadAllText(log).Trim();
        return text.Length > 0 ? text : $"haproxy exited with {code}";
    }

    public static int? ReadPidFile(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return int.TryParse(text.Split('\n')[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when <paramref name="pid"/> is an HAProxy (argv[0]'s file name is the binary's) loading exactly
    /// <paramref name="configFile"/> (<c>-f</c>): another HAProxy on the machine, or an unrelated process that got the
    /// PID, is never taken for ours.
    /// </summary>
    public static bool IsHaproxyFor(int pid, string binary, string configFile)
    {
        string[] argv;
        try
        {
            argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (argv.Length == 0 || Path.GetFileName(argv[0]) != Path.GetFileName(binary))
        {
            return false;
        }
        for (var i = 0; i + 1 < argv.Length; i++)
        {
            if (argv[i] == "-f" && argv[i + 1] == configFile)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Sends a signal by name (USR1 soft stop, TERM, KILL) through kill(1); false when the process was gone.</summary>
    public static async Task<bool> SignalAsync(int pid, string signal, TimeSpan timeout, CancellationToken ct)
    {
        var (code, _) = await RunAsync("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)], timeout, ct);
        return code == 0;
    }
}
