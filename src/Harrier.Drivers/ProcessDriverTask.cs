using Harrier.Linux;
using Microsoft.Extensions.Logging;

namespace Harrier.Drivers;

/// <summary>
/// One task of the <see cref="ProcessDriver"/>. Its launcher's pid is also the task's process group and session.
/// </summary>
internal sealed partial class ProcessDriverTask : IDriverTask, IPolledTask
{
    private readonly string _exitFile;
    private readonly TaskCgroup? _cgroup;
    private readonly DriverTaskSpec _spec;
    private readonly LauncherProcess _launcher;
    private readonly TaskCompletionSource<DriverExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _createdAt = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>
    /// Right after a launch the launcher may be between fork and the task's exec: a group TERM landing there hits
    /// the launcher's trap handler in the not-yet-exec'd child and is lost. Within this window a kill re-sends TERM
    /// once after <see cref="StartRaceResend"/> if the task is still alive.
    /// </summary>
    private static readonly TimeSpan StartRaceWindow = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan StartRaceResend = TimeSpan.FromMilliseconds(150);

    public ProcessDriverTask(DriverHandle handle, string exitFile, TaskCgroup? cgroup, DriverTaskSpec spec, bool ownChild)
    {
        Handle = handle;
        _exitFile = exitFile;
        _cgroup = cgroup;
        _spec = spec;
        _launcher = new LauncherProcess(handle.Pid, handle.StartTime, ownChild);
    }

    public DriverHandle Handle { get; }

    public Task<DriverExit> Exited => _exited.Task;

    public async Task KillAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (Exited.IsCompleted)
        {
            return;
        }
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(gracePeriod.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var young = System.Diagnostics.Stopwatch.GetElapsedTime(_createdAt) < StartRaceWindow;
        SignalAll(ProcessControl.SigTerm);
        try
        {
            if (young && gracePeriod > StartRaceResend)
            {
                try
                {
                    await Exited.WaitAsync(StartRaceResend, cancellationToken);
                    return;
                }
                catch (TimeoutException)
                {
                    SignalAll(ProcessControl.SigTerm);
                }
            }
            var left = System.Diagnostics.Stopwatch.GetElapsedTime(System.Diagnostics.Stopwatch.GetTimestamp(), deadline);
            await Exited.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
            return;
        }
        catch (TimeoutException)
        {
        }
        SignalAll(ProcessControl.SigKill);
        await Exited.WaitAsync(cancellationToken);
    }

    public bool PollExited() => _launcher.PollExited();

    /// <summary>Collects the exit status and releases what the task held: stray processes and its cgroup.</summary>
    public async Task FinishAsync(ILogger logger)
    {
        try
        {
            var (code, signal) = _launcher.ReadExit(_exitFile);
            var oom = _cgroup is not null && _cgroup.Exists && _cgroup.OomKillCount() > 0;
            var limit = _cgroup?.MemoryLimit();
            // Anything left in the task's process group or cgroup is an orphan of the task: it dies with it.
            ProcessControl.SignalGroup(Handle.Pid, ProcessControl.SigKill);
            if (_cgroup is not null && !await _cgroup.DestroyAsync(TimeSpan.FromSeconds(5)))
            {
                LogCgroupLeft(logger, _cgroup.Name);
            }
            var message = SignalNames.ExitMessage(code, signal);
            if (oom)
            {
                message = TaskLimits.MemoryLimitMessage(limit, message);
            }
            _exited.TrySetResult(new DriverExit(code, signal, oom, message));
        }
        catch (Exception e)
        {
            _exited.TrySetResult(new DriverExit(null, null, false, "Failed to collect the task's exit status: " + e.Message));
        }
    }

    private void SignalAll(int signal)
    {
        ProcessControl.SignalGroup(Handle.Pid, signal);
        if (_cgroup is not null)
        {
            // Processes that left the group (setsid) are still in the cgroup.
            foreach (var pid in _cgroup.Processes())
            {
                ProcessControl.Signal(pid, signal);
            }
        }
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Cgroup {Cgroup} still had processes after the task ended; left in place")]
    private static partial void LogCgroupLeft(ILogger logger, string cgroup);
}
