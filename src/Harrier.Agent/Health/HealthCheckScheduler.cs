using System.Threading.Channels;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Protocol;
using Microsoft.Extensions.Logging;

namespace Harrier.Agent.Health;

/// <summary>
/// Runs the health and readiness checks of every Running task on this agent. Owns: one priority queue of due checks
/// (one entry per check), one <see cref="ITimer"/> armed for the earliest, and one report outbox. Probes are async I/O
/// started from the timer callback, so there is no thread or timer per check. Reads the checks from the launch;
/// emits <see cref="TaskHealthReport"/>s through the send delegate in order, fire-and-forget (a failed send is logged,
/// not retried: the next change or the next registration's <see cref="ResendAll"/> carries the state again). It never
/// kills a task: the server decides on <see cref="TaskHealthReport.KillRequested"/>.
/// </summary>
internal sealed class HealthCheckScheduler : IDisposable
{
    // Checks due within this much are started together, so 1,000 checks/s need far fewer timer firings.
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(5);
    private readonly Lock _gate = new();
    private readonly PriorityQueue<CheckSlot, long> _queue = new();
    private readonly Dictionary<TaskId, TaskHealthSession> _sessions = [];
    private readonly AgentId _agentId;
    private readonly Func<TaskHealthReport, CancellationToken, ValueTask> _send;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Channel<TaskHealthReport> _outbox = Channel.CreateUnbounded<TaskHealthReport>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sendLoop;
    private readonly long _slackTicks;
    private long _armedFor = long.MaxValue;
    private long _probes;
    private int _disposed;

    public HealthCheckScheduler(AgentId agentId, Func<TaskHealthReport, CancellationToken, ValueTask> send, TimeProvider time, ILogger logger)
    {
        _agentId = agentId;
        _send = send;
        _time = time;
        _logger = logger;
        _slackTicks = (long)(Slack.TotalSeconds * time.TimestampFrequency);
        _timer = time.CreateTimer(static s => ((HealthCheckScheduler)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    /// <summary>Probes finished so far (for the benchmark and tests).</summary>
    public long ProbesCompleted => Interlocked.Read(ref _probes);

    public int TaskCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>
    /// Starts the checks of a task that became Running at <paramref name="runningSince"/>. No-op when the launch has
    /// no checks or the task's checks already run. The target is loopback: tasks share the host's network.
    /// </summary>
    public void Start(TaskLaunch launch, CheckTarget target, Timestamp runningSince)
    {
        if (launch.HealthChecks.IsEmpty && launch.Readiness is null)
        {
            return;
        }
        var session = new TaskHealthSession(_agentId, launch.TaskId, runningSince, target, _time, r => _outbox.Writer.TryWrite(r));
        var slots = session.Begin(launch.HealthChecks, launch.Readiness);
        lock (_gate)
        {
            if (_disposed != 0 || !_sessions.TryAdd(launch.TaskId, session))
            {
                session.Dispose();
                return;
            }
            foreach (var slot in slots)
            {
                EnqueueLocked(slot, FirstDue(slot, runningSince));
            }
            ArmLocked();
        }
        HealthLog.Started(_logger, launch.TaskId, launch.HealthChecks.Count, launch.Readiness is not null);
    }

    /// <summary>
    /// Follows a task's status updates: its checks run from its RUNNING update until any later one (killing,
    /// terminal). <paramref name="launch"/> is null for tasks the agent does not run.
    /// </summary>
    public void Follow(TaskStatusUpdate update, TaskLaunch? launch, string sandbox, Func<Drivers.IDriverTaskExec?>? exec = null)
    {
        if (update.State != Core.Instances.TaskState.Running)
        {
            Stop(update.TaskId);
        }
        else if (launch is not null)
        {
            var addresses = update.IpAddresses;
            Start(launch, CheckTarget.For(launch, sandbox, exec, () => addresses), update.Timestamp);
        }
    }

    /// <summary>Stops a task's checks (it left Running); probes in flight are abandoned and report nothing.</summary>
    public void Stop(TaskId taskId)
    {
        TaskHealthSession? session;
        lock (_gate)
        {
            _sessions.Remove(taskId, out session);
        }
        if (session is not null)
        {
            session.Stop();
            HealthLog.Stopped(_logger, taskId);
        }
    }

    /// <summary>Replaces a running task's health checks in place (<see cref="UpdateTaskChecksCommand"/>).</summary>
    public bool UpdateChecks(TaskId taskId, Core.Collections.ValueList<TaskHealthCheck> checks)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(taskId, out var session))
            {
                HealthLog.UpdateForUnknownTask(_logger, taskId);
                return false;
            }
            foreach (var slot in session.Replace(checks))
            {
                EnqueueLocked(slot, FirstDue(slot, session.RunningSince));
            }
            ArmLocked();
            return true;
        }
    }

    /// <summary>Re-sends the current report of every task that has reported before (after a registration).</summary>
    public void ResendAll()
    {
        TaskHealthSession[] sessions;
        lock (_gate)
        {
            sessions = [.. _sessions.Values];
        }
        foreach (var session in sessions)
        {
            session.Resend();
        }
    }

    /// <summary>The task's current check state, or null when it has no running checks.</summary>
    public TaskHealthReport? CurrentReport(TaskId taskId)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(taskId, out var session) ? session.Current(onlyIfReported: false) : null;
        }
    }

    public void Dispose()
    {
        TaskHealthSession[] sessions;
        lock (_gate)
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }
            sessions = [.. _sessions.Values];
            _sessions.Clear();
            _queue.Clear();
        }
        foreach (var session in sessions)
        {
            session.Stop();
        }
        _timer.Dispose();
        _outbox.Writer.TryComplete();
        _stop.Cancel();
        _sendLoop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private long FirstDue(CheckSlot slot, Timestamp runningSince)
    {
        var delay = slot is HealthCheckSlot health ? HealthCheckState.FirstDelay(health.State.Spec) : TimeSpan.Zero;
        var sinceRunning = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(runningSince.UnixMilliseconds);
        var remaining = delay - (sinceRunning > TimeSpan.Zero ? sinceRunning : TimeSpan.Zero);
        return _time.GetTimestamp() + (remaining > TimeSpan.Zero ? Ticks(remaining) : 0);
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void EnqueueLocked(CheckSlot slot, long due)
    {
        slot.Due = due;
        _queue.Enqueue(slot, due);
    }

    private void ArmLocked()
    {
        if (_disposed != 0 || !_queue.TryPeek(out _, out var due) || due >= _armedFor)
        {
            return;
        }
        _armedFor = due;
        var wait = Math.Max(0, due - _time.GetTimestamp());
        _timer.Change(TimeSpan.FromSeconds(wait / (double)_time.TimestampFrequency), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<CheckSlot>? due = null;
        lock (_gate)
        {
            _armedFor = long.MaxValue;
            var horizon = _time.GetTimestamp() + _slackTicks;
            while (_queue.TryPeek(out var slot, out var at) && at <= horizon)
            {
                _queue.Dequeue();
                if (!slot.Retired && !slot.Session.IsStopped)
                {
                    (due ??= []).Add(slot);
                }
            }
            ArmLocked();
        }
        foreach (var slot in due ?? [])
        {
            _ = RunAsync(slot);
        }
    }

    private async Task RunAsync(CheckSlot slot)
    {
        bool again;
        try
        {
            again = await slot.RunOnceAsync(_time, slot.Session.Stopping);
        }
        catch (OperationCanceledException) when (slot.Session.IsStopped)
        {
            return;
        }
        catch (Exception e)
        {
            HealthLog.ProbeFailed(_logger, slot.Session.TaskId, e);
            again = true;
        }
        Interlocked.Increment(ref _probes);
        if (!again)
        {
            slot.Retired = true;
            return;
        }
        lock (_gate)
        {
            if (_disposed != 0 || slot.Retired || slot.Session.IsStopped)
            {
                return;
            }
            // Keep the cadence (due + interval) unless the probe overran it; then go again now.
            EnqueueLocked(slot, Math.Max(slot.Due + Ticks(slot.Interval), _time.GetTimestamp()));
            ArmLocked();
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var report in _outbox.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    await _send(report, _stop.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    HealthLog.SendFailed(_logger, report.TaskId, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
