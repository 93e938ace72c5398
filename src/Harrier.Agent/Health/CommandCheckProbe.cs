using System.Diagnostics;
using System.Globalization;
using Harrier.Drivers;
using Harrier.Linux;

namespace Harrier.Agent.Health;

/// <summary>
/// A COMMAND check: <c>/bin/sh -c</c> in the task's sandbox with the task's environment and as the task's user, in its own session so a
/// timeout kills the whole process group. Exit 0 is healthy. The exit is polled (with backoff) because the child is
/// ours via posix_spawn, not a <see cref="System.Diagnostics.Process"/>.
/// </summary>
internal static class CommandCheckProbe
{
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(100);

    public static async Task<ProbeOutcome> RunAsync(string command, CheckTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (target.Exec is { } execFor)
        {
            return await InContainerAsync(command, target, execFor(), timeout, cancellationToken);
        }
        int pid;
        try
        {
            pid = ProcessControl.Spawn(new SpawnRequest([.. AsUser(target.User), "/bin/sh", "-c", command], target.Environment, target.Sandbox, "/dev/null", "/dev/null"));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return ProbeOutcome.Unhealthy(e.Message);
        }
        var started = Stopwatch.GetTimestamp();
        var poll = TimeSpan.FromMilliseconds(2);
        try
        {
            while (true)
            {
                var rc = ProcessControl.WaitNoHang(pid, out var status);
                if (rc == pid)
                {
                    return Judge(ProcessControl.DecodeWaitStatus(status));
                }
                if (rc < 0)
                {
                    return ProbeOutcome.Unhealthy("Lost track of the check process");
                }
                if (Stopwatch.GetElapsedTime(started) >= timeout)
                {
                    Kill(pid);
                    return ProbeOutcome.Unhealthy($"Command timed out after {timeout.TotalSeconds:0.###}s");
                }
                await Task.Delay(poll, cancellationToken);
                poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, MaxPoll.Ticks));
            }
        }
        catch (OperationCanceledException)
        {
            Kill(pid);
            throw;
        }
    }

    /// <summary>A container task's check runs inside its container; a container that is not (or no longer) there is
    /// unhealthy rather than checked on the host.</summary>
    private static async Task<ProbeOutcome> InContainerAsync(string command, CheckTarget target, IDriverTaskExec? exec, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (exec is null)
        {
            return ProbeOutcome.Unhealthy("the task's container is not running");
        }
        var (code, output) = await exec.ExecAsync(command, target.Environment, timeout, cancellationToken);
        return code switch
        {
            0 => ProbeOutcome.Healthy,
            null => ProbeOutcome.Unhealthy($"Command timed out after {timeout.TotalSeconds:0.###}s"),
            _ => ProbeOutcome.Unhealthy("exit status " + code.Value.ToString(CultureInfo.InvariantCulture) + (output.Length > 0 ? ": " + output.Trim() : "")),
        };
    }

    /// <summary>The check runs as the task's user, never as the agent's root when the task is not root.</summary>
    private static IReadOnlyList<string> AsUser(string? user)
    {
        if (user is null)
        {
            return [];
        }
        var account = UnixUser.Find(user) ?? throw new InvalidOperationException($"the task's user '{user}' does not exist");
        return UserSwitch.Prefix(account);
    }

    private static ProbeOutcome Judge((int? ExitCode, int? Signal) exit) => exit switch
    {
        (0, _) => ProbeOutcome.Healthy,
        ({ } code, _) => ProbeOutcome.Unhealthy("exit status " + code.ToString(CultureInfo.InvariantCulture)),
        (_, { } signal) => ProbeOutcome.Unhealthy("killed by signal " + signal.ToString(CultureInfo.InvariantCulture)),
        _ => ProbeOutcome.Unhealthy("ended without an exit status"),
    };

    private static void Kill(int pid)
    {
        ProcessControl.SignalGroup(pid, ProcessControl.SigKill);
        // Reap it so no zombie is left behind; SIGKILL makes this quick.
        for (var i = 0; i < 200 && ProcessControl.WaitNoHang(pid, out _) == 0; i++)
        {
            Thread.Sleep(5);
        }
    }
}
