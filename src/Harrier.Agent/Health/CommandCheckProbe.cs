using System.Diagnostics;
using System.Globalization;
using Harrier.Linux;

namespace Harrier.Agent.Health;

/// <summary>
/// A COMMAND check: <c>/bin/sh -c</c> in the task's sandbox with the task's environment, in its own session so a
/// timeout kills the whole process group. Exit 0 is healthy. The exit is polled (with backoff) because the child is
/// ours via posix_spawn, not a <see cref="System.Diagnostics.Process"/>.
/// </summary>
internal static class CommandCheckProbe
{
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(100);

    public static async Task<ProbeOutcome> RunAsync(string command, CheckTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        int pid;
        try
        {
            pid = ProcessControl.Spawn(new SpawnRequest(["/bin/sh", "-c", command], target.Environment, target.Sandbox, "/dev/null", "/dev/null"));
        }
        catch (IOException e)
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
