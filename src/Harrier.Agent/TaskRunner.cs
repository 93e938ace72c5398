using Harrier.Agent.Launch;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Harrier.Drivers;
using Harrier.Protocol;

namespace Harrier.Agent;

/// <summary>
/// One task's lifecycle on the agent: STAGING → STARTING (fetch) → RUNNING → terminal. Owns the task's state and
/// its unacknowledged status updates (in order), checkpointing both on every change, so a restarted agent resumes
/// from exactly here. No state change follows a terminal one.
/// </summary>
internal sealed class TaskRunner : IDisposable
{
    private readonly Lock _gate = new();
    private readonly AgentRunContext _context;
    private readonly List<TaskStatusUpdate> _unacked = [];
    /// <summary>Per unacknowledged update: how often it was resent and when last (not checkpointed: a restarted
    /// agent resends everything when it registers, and starts the backoff over).</summary>
    private readonly Dictionary<Guid, (int Resends, Timestamp LastSent)> _resends = [];
    private readonly CancellationTokenSource _startAbort = new();
    private IDriverTask? _driverTask;
    private DriverHandle? _handle;
    private TaskState _state;
    private string? _message;
    private bool _killRequested;
    private int _killGraceSeconds;
    private string? _checkpointError;
    /// <summary>The task's addresses on its networks (set by the network step), sent with TASK_RUNNING.</summary>
    private ValueList<string> _ipAddresses;

    private TaskRunner(AgentRunContext context, TaskId taskId, TaskLaunch? launch)
    {
        _context = context;
        TaskId = taskId;
        Launch = launch;
        _killGraceSeconds = launch?.KillGracePeriodSeconds ?? 3;
    }

    public TaskId TaskId { get; }

    public void Dispose() => _startAbort.Dispose();

    public TaskLaunch? Launch { get; }

    /// <summary>The task's addresses on its networks (empty until its network is set up or recovered; host networking: none).</summary>
    public IReadOnlyList<string> IpAddresses
    {
        get
        {
            lock (_gate)
            {
                return _ipAddresses;
            }
        }
    }

    public TaskState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public bool IsTerminal => State.IsTerminal();

    /// <summary>True once the task is terminal and every update about it is acknowledged: the agent may forget it.</summary>
    public bool IsDone
    {
        get
        {
            lock (_gate)
            {
                return _state.IsTerminal() && _unacked.Count == 0;
            }
        }
    }

    public static TaskRunner ForLaunch(AgentRunContext context, TaskLaunch launch) => new(context, launch.TaskId, launch);

    /// <summary>A record for an update about a task the agent does not run (e.g. a kill for an unknown task).</summary>
    public static TaskRunner Placeholder(AgentRunContext context, TaskId taskId, TaskState state, string reason, string message)
    {
        var runner = new TaskRunner(context, taskId, null);
        runner.Transition(state, reason, message);
        return runner;
    }

    public static TaskRunner FromCheckpoint(AgentRunContext context, CheckpointedTask saved)
    {
        var runner = new TaskRunner(context, new TaskId(saved.TaskId), saved.Launch?.ToLaunch())
        {
            _handle = saved.Handle,
            _state = saved.State,
            _message = saved.Message,
            _killRequested = saved.KillRequested,
        };
        runner._unacked.AddRange(saved.Unacked.Select(u => u.ToUpdate(context.AgentId, runner.TaskId)));
        return runner;
    }

    public TaskReport Report()
    {
        lock (_gate)
        {
            return new TaskReport(TaskId, _state, _message);
        }
    }

    /// <summary>Every unacknowledged update, oldest first; their resend backoff starts over from <paramref name="now"/>.</summary>
    public IReadOnlyList<TaskStatusUpdate> Unacked(Timestamp now)
    {
        lock (_gate)
        {
            _resends.Clear();
            foreach (var update in _unacked)
            {
                _resends[update.UpdateId] = (0, now);
            }
            return [.. _unacked];
        }
    }

    /// <summary>
    /// The unacknowledged updates due to be sent again at <paramref name="now"/>, oldest first. An update is resent
    /// <paramref name="first"/> after it was sent, then after twice as long each time up to <paramref name="max"/>,
    /// as Mesos's status update manager does: a server that is slow to acknowledge is not flooded with resends.
    /// </summary>
    public IReadOnlyList<TaskStatusUpdate> DueForResend(Timestamp now, TimeSpan first, TimeSpan max)
    {
        lock (_gate)
        {
            List<TaskStatusUpdate>? due = null;
            foreach (var update in _unacked)
            {
                var (resends, lastSent) = _resends.GetValueOrDefault(update.UpdateId, (0, update.Timestamp));
                var wait = TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks << Math.Min(resends, 20)));
                if (now.UnixMilliseconds - lastSent.UnixMilliseconds >= wait.TotalMilliseconds)
                {
                    (due ??= []).Add(update);
                    _resends[update.UpdateId] = (resends + 1, now);
                }
            }
            return due ?? [];
        }
    }

    /// <summary>How the driver finds the task (null before it started).</summary>
    public DriverHandle? Handle
    {
        get
        {
            lock (_gate)
            {
                return _handle;
            }
        }
    }

    /// <summary>The running task's exec capability (COMMAND checks inside its container), if its driver has one.</summary>
    public IDriverTaskExec? Exec
    {
        get
        {
            lock (_gate)
            {
                return _driverTask as IDriverTaskExec;
            }
        }
    }

    /// <summary>Runs a newly launched task to its end: the launch steps (image in STAGING, then STARTING: fetch,
    /// volumes, network), the driver, and the release of what the steps prepared once it has ended.</summary>
    public async Task RunAsync()
    {
        var launch = Launch!;
        Transition(TaskState.Staging, null, null);
        if (IsTerminal)
        {
            // Its checkpoint could not be written: it ended as TASK_ERROR before anything started.
            return;
        }
        if (TaskLaunchMapper.Validate(launch) is { } invalid)
        {
            Transition(TaskState.Error, TaskReasons.InvalidTask, "Invalid launch: " + invalid);
            return;
        }
        var driver = _context.Drivers.For(launch);
        if (driver is null)
        {
            Transition(TaskState.Failed, TaskReasons.LaunchFailed, "Failed to launch container: this agent has no driver for container images");
            return;
        }
        var launchContext = NewLaunchContext(launch);
        var token = _startAbort.Token;
        IDriverTask driverTask;
        try
        {
            Directory.CreateDirectory(launchContext.Sandbox);
            await _context.Pipeline.PrepareAsync(launchContext, phase =>
            {
                if (phase == LaunchPhase.Starting)
                {
                    Transition(TaskState.Starting, null, null);
                }
            }, token);
            try
            {
                driverTask = await driver.StartAsync(LaunchPipeline.ToDriverSpec(launchContext), token);
            }
            catch
            {
                await _context.Pipeline.ReleaseAsync(launchContext);
                throw;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Transition(TaskState.Killed, null, "Task killed before it started");
            return;
        }
        catch (LaunchStepException e)
        {
            Transition(e.State, e.Reason, e.Message);
            return;
        }
        catch (DriverLaunchException e)
        {
            Transition(TaskState.Failed, TaskReasons.LaunchFailed, e.Message);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else a launch step or driver throws is still this task's failure, never the agent's.
            Transition(TaskState.Failed, TaskReasons.LaunchFailed, "Failed to launch the task: " + e.Message);
            return;
        }
        bool killNow;
        lock (_gate)
        {
            _driverTask = driverTask;
            _handle = driverTask.Handle;
            killNow = _killRequested;
            _ipAddresses = new(launchContext.IpAddresses);
        }
        Transition(TaskState.Running, null, null);
        if (killNow)
        {
            _ = driverTask.KillAsync(TimeSpan.FromSeconds(_killGraceSeconds), CancellationToken.None);
        }
        await WatchAsync(driverTask, launchContext);
    }

    /// <summary>Re-attaches to a task from the checkpoint of a previous agent process, without restarting it.</summary>
    public async Task RecoverAsync()
    {
        TaskState state;
        DriverHandle? handle;
        lock (_gate)
        {
            state = _state;
            handle = _handle;
        }
        if (state.IsTerminal() || Launch is null)
        {
            return;
        }
        var launchContext = NewLaunchContext(Launch);
        if (handle is null)
        {
            await _context.Pipeline.ReleaseAsync(launchContext);
            Transition(TaskState.Failed, TaskReasons.AgentRestarted, "The agent restarted before the task was started");
            return;
        }
        if (_context.Drivers.ByName(handle.Driver) is not { } driver)
        {
            Transition(TaskState.Lost, TaskReasons.AgentRestarted, $"The agent restarted without the '{handle.Driver}' driver that ran the task");
            return;
        }
        await _context.Pipeline.RecoverAsync(launchContext, CancellationToken.None);
        var driverTask = await driver.RecoverAsync(LaunchPipeline.ToDriverSpec(launchContext), handle, CancellationToken.None);
        bool kill;
        lock (_gate)
        {
            _driverTask = driverTask;
            kill = _killRequested;
            _ipAddresses = new(launchContext.IpAddresses);
        }
        if (state != TaskState.Running && state != TaskState.Killing && !driverTask.Exited.IsCompleted)
        {
            Transition(TaskState.Running, null, null);
        }
        if (kill)
        {
            _ = driverTask.KillAsync(TimeSpan.FromSeconds(_killGraceSeconds), CancellationToken.None);
        }
        await WatchAsync(driverTask, launchContext);
    }

    /// <summary>Kills the task (idempotent). False when it is already terminal.</summary>
    public bool RequestKill(int gracePeriodSeconds)
    {
        IDriverTask? driverTask;
        bool alreadyKilling;
        lock (_gate)
        {
            if (_state.IsTerminal())
            {
                return false;
            }
            alreadyKilling = _killRequested;
            _killRequested = true;
            _killGraceSeconds = gracePeriodSeconds;
            driverTask = _driverTask;
        }
        if (driverTask is null)
        {
            // Still fetching or starting: abort that; RunAsync reports KILLED (or kills right after the start).
            Save();
            _startAbort.Cancel();
            return true;
        }
        if (!alreadyKilling)
        {
            Transition(TaskState.Killing, null, null);
        }
        _ = driverTask.KillAsync(TimeSpan.FromSeconds(gracePeriodSeconds), CancellationToken.None);
        return true;
    }

    /// <summary>
    /// Ends a task the agent failed to handle (an unexpected error in its launch or in a command about it) with a
    /// terminal update carrying the error, so the server sees TASK_FAILED/TASK_ERROR instead of a task stuck in
    /// staging. A task that already started is killed: the agent can no longer vouch for it.
    /// </summary>
    public void Fail(TaskState state, string reason, string message)
    {
        IDriverTask? driverTask;
        lock (_gate)
        {
            driverTask = _driverTask;
            _killRequested |= driverTask is not null;
        }
        Transition(state, reason, message);
        _ = driverTask?.KillAsync(TimeSpan.FromSeconds(_killGraceSeconds), CancellationToken.None);
        try
        {
            _startAbort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already forgotten.
        }
    }

    /// <summary>Drops an acknowledged update. True when the agent may now forget the task.</summary>
    public bool Acknowledge(Guid updateId)
    {
        lock (_gate)
        {
            if (_unacked.RemoveAll(u => u.UpdateId == updateId) == 0)
            {
                return false;
            }
            _resends.Remove(updateId);
            if (_state.IsTerminal() && _unacked.Count == 0)
            {
                return true;
            }
            SaveLocked(durable: false);
            return false;
        }
    }

    /// <summary>An answer to reconciliation: the current state, not kept for resending.</summary>
    public TaskStatusUpdate CurrentStatus()
    {
        lock (_gate)
        {
            return new TaskStatusUpdate(_context.NewId(), _context.AgentId, TaskId, _state, Timestamp.From(_context.Time.GetUtcNow()), TaskReasons.Reconciliation, _message);
        }
    }

    private LaunchContext NewLaunchContext(TaskLaunch launch) => new(
        launch,
        _context.Checkpoint.SandboxOf(launch.TaskId.Value),
        _context.Checkpoint.StateDirOf(launch.TaskId.Value),
        Progress);

    /// <summary>A launch step's progress: a new message in the current (staging or starting) state.</summary>
    private void Progress(string message)
    {
        TaskState state;
        lock (_gate)
        {
            state = _state;
        }
        if (state is TaskState.Staging or TaskState.Starting)
        {
            Transition(state, null, message);
        }
    }

    private async Task WatchAsync(IDriverTask driverTask, LaunchContext launchContext)
    {
        DriverExit exit;
        try
        {
            exit = await driverTask.Exited;
        }
        catch (Exception e)
        {
            exit = new DriverExit(null, null, false, "Lost track of the task: " + e.Message);
        }
        await _context.Pipeline.ReleaseAsync(launchContext);
        bool killed;
        lock (_gate)
        {
            killed = _killRequested;
        }
        if (exit.MemoryLimitExceeded)
        {
            Transition(TaskState.Failed, TaskReasons.MemoryLimit, exit.Message);
        }
        else if (killed)
        {
            Transition(TaskState.Killed, null, exit.Message);
        }
        else if (exit.Succeeded)
        {
            Transition(TaskState.Finished, null, exit.Message);
        }
        else
        {
            Transition(TaskState.Failed, TaskReasons.CommandFailed, exit.Message);
        }
    }

    private void Transition(TaskState state, string? reason, string? message)
    {
        TaskStatusUpdate update;
        var abort = false;
        lock (_gate)
        {
            // A stopped agent (or a crashed one, in tests) must not touch the checkpoint its successor owns.
            if (_state.IsTerminal() || _context.Stopping.IsCancellationRequested)
            {
                return;
            }
            _state = state;
            _message = message;
            update = new TaskStatusUpdate(_context.NewId(), _context.AgentId, TaskId, state, Timestamp.From(_context.Time.GetUtcNow()), reason, message)
            {
                IpAddresses = state == TaskState.Running ? _ipAddresses : default,
            };
            _unacked.Add(update);
            if (!SaveLocked(durable: true) && !state.IsTerminal() && _driverTask is null)
            {
                // A task the agent cannot checkpoint would be lost by the next agent restart: it does not start. The
                // update still goes out (the server must hear of it), as TASK_ERROR with the reason.
                _unacked.Remove(update);
                _state = TaskState.Error;
                _message = "The agent cannot checkpoint the task: " + _checkpointError;
                update = update with { State = _state, Reason = TaskReasons.InvalidTask, Message = _message };
                _unacked.Add(update);
                abort = true;
            }
            // Queued under the lock so that updates of one task reach the server in the order they happened.
            _context.Sender.Send(update);
        }
        if (abort)
        {
            _startAbort.Cancel();
        }
    }

    private void Save()
    {
        lock (_gate)
        {
            SaveLocked(durable: true);
        }
    }

    /// <summary>Writes the task's checkpoint; false (and the error kept and reported) when it cannot be written.</summary>
    private bool SaveLocked(bool durable)
    {
        try
        {
            WriteCheckpointLocked(durable);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _checkpointError = e.Message;
            _context.CheckpointFailed?.Invoke(TaskId, e);
            return false;
        }
    }

    private void WriteCheckpointLocked(bool durable)
    {
        _context.Checkpoint.Save(new CheckpointedTask
        {
            TaskId = TaskId.Value,
            Launch = Launch is null ? null : CheckpointedLaunch.From(Launch),
            Handle = _handle,
            State = _state,
            Message = _message,
            KillRequested = _killRequested,
            Unacked = [.. _unacked.Select(CheckpointedUpdate.From)],
        }, durable);
    }
}
