using System.Diagnostics;
using System.Text.Json.Nodes;
using Harrier.Linux;
using Microsoft.Extensions.Logging;

namespace Harrier.Drivers.Oci;

/// <summary>
/// One container of the <see cref="OciDriver"/>. The driver watches its launcher (the foreground <c>RUNTIME run</c>
/// under <see cref="TaskLauncherScript"/>); signals go to the container's init, whose pid the runtime writes into
/// the bundle once the container exists. Killing init ends the container's whole pid namespace.
/// </summary>
internal sealed partial class OciDriverTask : IDriverTask, IDriverTaskExec, IPolledTask
{
    /// <summary>A TERM that reaches init before it exec'd the task's program is lost: re-send once (as the process driver does).</summary>
    private static readonly TimeSpan StartRaceWindow = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan StartRaceResend = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan SignalPoll = TimeSpan.FromMilliseconds(50);

    private readonly LauncherProcess _launcher;
    private readonly string _exitFile;
    private readonly OciBundle _bundle;
    private readonly OciRuntime _runtime;
    private readonly TaskCgroup? _cgroup;
    private readonly OomWatch? _oomWatch;
    private readonly string _cgroupPath;
    private readonly TaskCompletionSource<DriverExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _createdAt = Stopwatch.GetTimestamp();
    private int _execs;

    public OciDriverTask(DriverHandle handle, bool ownChild, string exitFile, OciBundle bundle, OciRuntime runtime, TaskCgroup? cgroup, string cgroupPath)
    {
        Handle = handle;
        ContainerId = handle.State!;
        _launcher = new LauncherProcess(handle.Pid, handle.StartTime, ownChild);
        _exitFile = exitFile;
        _bundle = bundle;
        _runtime = runtime;
        _cgroup = cgroup;
        _cgroupPath = cgroupPath;
        // The container runs in a child cgroup the runtime deletes on exit; on v1 only a notification on the task
        // cgroup (which holds the limit) survives to tell an OOM kill. Registered before the container starts.
        _oomWatch = cgroup?.WatchOom();
    }

    public DriverHandle Handle { get; }

    public string ContainerId { get; }

    public Task<DriverExit> Exited => _exited.Task;

    public async Task KillAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (Exited.IsCompleted)
        {
            return;
        }
        var deadline = Stopwatch.GetTimestamp() + (long)(gracePeriod.TotalSeconds * Stopwatch.Frequency);
        var resendAt = Stopwatch.GetTimestamp() + (long)(StartRaceResend.TotalSeconds * Stopwatch.Frequency);
        var resent = Stopwatch.GetElapsedTime(_createdAt) >= StartRaceWindow;
        // Before the container exists, TERM the launcher's group: the launcher then never starts the runtime, or
        // the runtime (which forwards signals to the container) passes it on. Keep watching for init meanwhile.
        var toInit = TrySignalInit(ProcessControl.SigTerm);
        if (!toInit)
        {
            ProcessControl.SignalGroup(Handle.Pid, ProcessControl.SigTerm);
        }
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            try
            {
                await Exited.WaitAsync(left < SignalPoll ? left : SignalPoll, cancellationToken);
                return;
            }
            catch (TimeoutException)
            {
            }
            if (!toInit)
            {
                toInit = TrySignalInit(ProcessControl.SigTerm);
            }
            else if (!resent && Stopwatch.GetTimestamp() >= resendAt)
            {
                resent = true;
                TrySignalInit(ProcessControl.SigTerm);
            }
        }
        await _runtime.KillAllAsync(ContainerId, cancellationToken);
        if (!TrySignalInit(ProcessControl.SigKill))
        {
            // No container (yet): end the launcher and the runtime it started; the finish deletes what they left.
            ProcessControl.SignalGroup(Handle.Pid, ProcessControl.SigKill);
        }
        await Exited.WaitAsync(cancellationToken);
    }

    public async Task<(int? ExitCode, string Output)> ExecAsync(string shell, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Exited.IsCompleted || !File.Exists(_bundle.ConfigFile))
        {
            return (null, "the container is not running");
        }
        // The container's own process (user, groups, capabilities, cwd, rlimits, env) with another command: an
        // exec without --process would run as root with the runtime's defaults.
        var config = JsonNode.Parse(await File.ReadAllTextAsync(_bundle.ConfigFile, cancellationToken))!.AsObject();
        var process = config["process"]!.AsObject().DeepClone().AsObject();
        process["args"] = new JsonArray("/bin/sh", "-c", shell);
        var env = (process["env"]?.AsArray() ?? []).Select(e => e!.GetValue<string>()).ToList();
        foreach (var (name, value) in environment)
        {
            env.RemoveAll(e => e.StartsWith(name + "=", StringComparison.Ordinal));
            env.Add(name + "=" + value);
        }
        process["env"] = new JsonArray([.. env.Select(e => JsonValue.Create(e))]);
        var n = Interlocked.Increment(ref _execs);
        var processFile = Path.Combine(_bundle.Directory, $"exec-{n}.json");
        var pidFile = Path.Combine(_bundle.Directory, $"exec-{n}.pid");
        await File.WriteAllTextAsync(processFile, process.ToJsonString(), cancellationToken);
        try
        {
            return await _runtime.RunAsync(["exec", "--process", processFile, "--pid-file", pidFile, ContainerId], timeout, cancellationToken, onTimeout: () =>
            {
                if (int.TryParse(File.Exists(pidFile) ? File.ReadAllText(pidFile).Trim() : "", out var pid))
                {
                    ProcessControl.Signal(pid, ProcessControl.SigKill);
                }
            });
        }
        finally
        {
            File.Delete(processFile);
            File.Delete(pidFile);
        }
    }

    public bool PollExited() => _launcher.PollExited();

    /// <summary>Collects the exit (and an OOM kill from the task cgroup) and releases the container, cgroups and bundle.</summary>
    public async Task FinishAsync(ILogger logger)
    {
        try
        {
            var (code, signal) = _launcher.ReadExit(_exitFile);
            var oom = (_cgroup is not null && _cgroup.Exists && _cgroup.OomKillCount() > 0) || _oomWatch?.Fired() == true;
            _oomWatch?.Dispose();
            var limit = _cgroup?.MemoryLimit();
            ProcessControl.SignalGroup(Handle.Pid, ProcessControl.SigKill);
            if (_runtime.HasState(ContainerId))
            {
                // The runtime deletes a container that exits under `run`; state left means it was cut short.
                await _runtime.DeleteAsync(ContainerId, CancellationToken.None);
            }
            if (!await CgroupTree.DestroyAsync(_cgroupPath, TimeSpan.FromSeconds(5)))
            {
                LogCgroupLeft(logger, _cgroupPath);
            }
            try
            {
                _bundle.Remove();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogBundleLeft(logger, _bundle.Directory, e.Message);
            }
            var message = SignalNames.ExitMessage(code, signal);
            _exited.TrySetResult(new DriverExit(code, signal, oom, oom ? TaskLimits.MemoryLimitMessage(limit, message) : message));
        }
        catch (Exception e)
        {
            _exited.TrySetResult(new DriverExit(null, null, false, "Failed to collect the task's exit status: " + e.Message));
        }
    }

    /// <summary>Signals the container's init if it exists and is still this container's (guards against pid reuse).</summary>
    private bool TrySignalInit(int signal)
    {
        if (_bundle.ReadInitPid() is not { } pid)
        {
            return false;
        }
        try
        {
            if (!File.ReadAllText($"/proc/{pid}/cgroup").Contains($":/{_cgroupPath}/ctr\n", StringComparison.Ordinal))
            {
                return false;
            }
        }
        catch (IOException)
        {
            return false;
        }
        return ProcessControl.Signal(pid, signal);
    }

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Cgroup {Cgroup} still had processes after the container ended; left in place")]
    private static partial void LogCgroupLeft(ILogger logger, string cgroup);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Could not remove the bundle {Bundle}: {Reason}")]
    private static partial void LogBundleLeft(ILogger logger, string bundle, string reason);
}
