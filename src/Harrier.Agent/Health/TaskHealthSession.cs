using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Health;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Protocol;

namespace Harrier.Agent.Health;

/// <summary>
/// The checks of one Running task: their state, the readiness result, and when to report. Every change and every
/// report is made under one lock, so the reports of a task leave in the order their changes happened.
/// </summary>
internal sealed class TaskHealthSession : IDisposable
{
    private readonly Lock _gate = new();
    private readonly AgentId _agentId;
    private readonly TimeProvider _time;
    private readonly Action<TaskHealthReport> _emit;
    private readonly CancellationTokenSource _cancel = new();
    private List<HealthCheckSlot> _checks = [];
    private bool _stopped;
    private bool _reported;

    public TaskHealthSession(AgentId agentId, TaskId taskId, Timestamp runningSince, CheckTarget target, TimeProvider time, Action<TaskHealthReport> emit)
    {
        _agentId = agentId;
        TaskId = taskId;
        RunningSince = runningSince;
        Target = target;
        _time = time;
        _emit = emit;
        // Kept apart from the source: probes may still look at it after Stop disposed the source.
        Stopping = _cancel.Token;
    }

    public TaskId TaskId { get; }

    public Timestamp RunningSince { get; }

    public CheckTarget Target { get; }

    public ReadinessSlot? Readiness { get; private set; }

    /// <summary>Cancelled when the task leaves Running: aborts probes in flight.</summary>
    public CancellationToken Stopping { get; }

    public bool IsStopped => Stopping.IsCancellationRequested;

    /// <summary>Creates the slots for a launch's checks; returns them so the scheduler can queue them.</summary>
    public IReadOnlyList<CheckSlot> Begin(ValueList<TaskHealthCheck> checks, TaskReadinessCheck? readiness)
    {
        lock (_gate)
        {
            _checks = [.. checks.OrderBy(c => c.Index).Select(c => new HealthCheckSlot(this, new HealthCheckState(c.Index, c.Spec, c.Port)))];
            Readiness = readiness is null ? null : new ReadinessSlot(this, readiness);
            return Readiness is null ? [.. _checks] : [.. _checks, Readiness];
        }
    }

    /// <summary>
    /// Replaces the checks in place: a check with a continuing index keeps its state and schedule (only its spec
    /// changes); removed ones are retired. Returns the new slots to queue.
    /// </summary>
    public IReadOnlyList<CheckSlot> Replace(ValueList<TaskHealthCheck> checks)
    {
        lock (_gate)
        {
            var old = _checks.ToDictionary(s => s.State.Result.CheckIndex);
            var added = new List<CheckSlot>();
            var next = new List<HealthCheckSlot>();
            foreach (var check in checks.OrderBy(c => c.Index))
            {
                if (old.Remove(check.Index, out var kept))
                {
                    kept.State.Spec = check.Spec;
                    kept.State.Port = check.Port;
                    next.Add(kept);
                }
                else
                {
                    var slot = new HealthCheckSlot(this, new HealthCheckState(check.Index, check.Spec, check.Port));
                    next.Add(slot);
                    added.Add(slot);
                }
            }
            foreach (var removed in old.Values)
            {
                removed.Retired = true;
            }
            _checks = next;
            return added;
        }
    }

    public (HealthCheckSpec Spec, int? Port) Read(HealthCheckSlot slot)
    {
        lock (_gate)
        {
            return (slot.State.Spec, slot.State.Port);
        }
    }

    public void Apply(HealthCheckSlot slot, ProbeOutcome outcome)
    {
        lock (_gate)
        {
            if (_stopped || slot.Retired)
            {
                return;
            }
            if (slot.State.Apply(outcome, Now(), RunningSince))
            {
                EmitLocked();
            }
        }
    }

    public void Apply(ReadinessSlot slot, ReadinessCheckResult result)
    {
        lock (_gate)
        {
            if (_stopped || slot.Result == result)
            {
                return;
            }
            slot.Result = result;
            EmitLocked();
        }
    }

    /// <summary>The current report, or null when nothing was ever reported for this task (nothing to re-send).</summary>
    public TaskHealthReport? Current(bool onlyIfReported)
    {
        lock (_gate)
        {
            return onlyIfReported && !_reported ? null : BuildLocked();
        }
    }

    /// <summary>Re-sends the current state (after a registration) if anything was ever reported.</summary>
    public void Resend()
    {
        lock (_gate)
        {
            if (_reported && !_stopped)
            {
                _emit(BuildLocked());
            }
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
        }
        _cancel.Cancel();
        _cancel.Dispose();
    }

    public void Dispose() => Stop();

    private void EmitLocked()
    {
        _reported = true;
        _emit(BuildLocked());
    }

    private TaskHealthReport BuildLocked() => new(
        _agentId,
        TaskId,
        Now(),
        new ValueList<HealthCheckResult>(_checks.Select(s => s.State.Result)),
        Readiness?.Result,
        new ValueList<int>(_checks.Where(s => s.State.KillRequested).Select(s => s.State.Result.CheckIndex)));

    private Timestamp Now() => Timestamp.From(_time.GetUtcNow());
}
