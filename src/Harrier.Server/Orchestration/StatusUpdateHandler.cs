using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Scheduling;
using Harrier.Server.Cluster;
using Harrier.Server.Events;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Applies agents' observations to instances: task status updates and the task list an agent registers with.
/// Writes only the observed side of an instance (condition, times, message, health). A live task of an older
/// incarnation of a known instance is killed at once; a live task of no known instance is an orphan
/// (<see cref="OrphanTracker"/>: listed, killed after a grace period). Only the agent an instance is placed on speaks
/// for its task: a report from any other agent changes nothing, and a live task there is that agent's orphan.
/// </summary>
internal sealed class StatusUpdateHandler(ServerOptions options, OrphanTracker orphans)
{
    /// <summary>False when the update was refused: it speaks for a task placed on another agent (nothing changed).</summary>
    public bool Apply(Mutation m, TaskStatusUpdate update)
    {
        var instance = m.Snapshot.FindByTask(update.TaskId);
        if (instance is null)
        {
            orphans.Observe(m, update.AgentId, update.TaskId, update.State);
            return true;
        }
        if (instance.Incarnation != update.TaskId.Incarnation)
        {
            if (!update.State.IsTerminal())
            {
                m.Send(update.AgentId, new KillTaskCommand(update.TaskId, options.DefaultKillGracePeriodSeconds));
            }
            return true;
        }
        if (instance.AgentId != update.AgentId)
        {
            // Not this agent's task (a forged report, or a copy the server never placed there): it changes nothing, and
            // if the task is alive on that agent, it is an orphan there.
            orphans.Observe(m, update.AgentId, update.TaskId, update.State);
            return false;
        }
        if (IsStale(instance.Condition, update.State.ToCondition()))
        {
            // A resend of an update older than one already applied (acknowledgements were slow): acknowledged, not applied.
            return true;
        }
        ApplyState(m, instance, update.State, update.Message, update.Reason, update.Healthy, update.IpAddresses);
        return true;
    }

    /// <summary>
    /// Agents resend every unacknowledged update, so under load an older update of a task can arrive after a newer one.
    /// A task only moves forward (staging, starting, running, killing, one terminal state), so an update that would
    /// move it back is stale. An unreachable instance takes whatever its agent reports: the agent is back.
    /// </summary>
    internal static bool IsStale(Condition current, Condition reported)
    {
        if (current is Condition.Unreachable or Condition.UnreachableInactive)
        {
            return false;
        }
        return current.IsTerminal() ? reported != current : Progress(reported) < Progress(current);
    }

    private static int Progress(Condition c) => c switch
    {
        Condition.Staging => 1,
        Condition.Starting => 2,
        Condition.Running => 3,
        Condition.Killing => 4,
        _ when c.IsTerminal() => 5,
        _ => 0,
    };

    /// <summary>An agent (re)registered with the tasks it runs: adopt those we know (an unreachable instance is
    /// reachable again; a surplus that makes is then resolved by the scale check's kill selection), kill older
    /// incarnations, track orphans (tasks of no instance, or of an instance placed on another agent), and mark as gone
    /// the ones we expected on it that it no longer has.</summary>
    public void Reconcile(Mutation m, AgentId agent, IReadOnlyList<TaskReport> reported)
    {
        var reportedIds = reported.Select(r => r.TaskId).ToHashSet();
        orphans.Reconciled(m, agent, reportedIds);
        foreach (var report in reported)
        {
            var instance = m.Snapshot.FindByTask(report.TaskId);
            if (instance is null)
            {
                orphans.Observe(m, agent, report.TaskId, report.State);
                continue;
            }
            if (instance.Incarnation != report.TaskId.Incarnation)
            {
                if (!report.State.IsTerminal())
                {
                    m.Send(agent, new KillTaskCommand(report.TaskId, options.DefaultKillGracePeriodSeconds));
                }
                continue;
            }
            if (instance.AgentId != agent)
            {
                orphans.Observe(m, agent, report.TaskId, report.State);
                continue;
            }
            ApplyState(m, instance, report.State, report.Message, null, null);
        }
        foreach (var instance in m.Snapshot.Instances.Values.Where(i => i.AgentId == agent && (i.Condition.IsActive() || i.Condition == Condition.UnreachableInactive)).ToList())
        {
            if (instance.TaskId is not { } taskId || reportedIds.Contains(taskId))
            {
                continue;
            }
            if (instance.Condition == Condition.UnreachableInactive)
            {
                // Already replaced; its task is gone for good, so it need not wait for its expunge time.
                m.RemoveInstance(instance.Id);
                continue;
            }
            ApplyState(m, instance, TaskState.Gone, "Task unknown to the agent after it re-registered", "REASON_RECONCILIATION", null);
        }
    }

    private static void ApplyState(Mutation m, Instance instance, TaskState state, string? message, string? reason, bool? healthy, ValueList<string> ipAddresses = default)
    {
        var condition = state.ToCondition();
        var now = m.Now;
        var updated = instance with
        {
            Condition = condition,
            Since = condition == instance.Condition ? instance.Since : now,
            StagedAt = instance.StagedAt ?? now,
            StartedAt = condition == Condition.Running ? instance.StartedAt ?? now : instance.StartedAt,
            ActiveSince = condition == Condition.Running ? instance.ActiveSince ?? now : instance.ActiveSince,
            Message = message ?? instance.Message,
            Healthy = condition == Condition.Running ? healthy ?? instance.Healthy ?? ReportedHealth(m, instance) : null,
            UnreachableSince = condition is Condition.Unreachable or Condition.UnreachableInactive ? instance.UnreachableSince ?? now : null,
            IpAddresses = ipAddresses.IsEmpty ? instance.IpAddresses : ipAddresses,
        };
        if (updated == instance)
        {
            return;
        }
        m.PutInstance(updated);
        if (condition == instance.Condition)
        {
            return;
        }
        m.Emit(new TaskStatusEvent(now, updated, state.ToMesosName(), message));
        if (condition.IsFailure() && instance.Goal == Goal.Running && m.Snapshot.Apps.TryGetValue(instance.RunSpecId, out var app))
        {
            var config = app.VersionInfo.LastConfigChangeAt;
            var current = m.Snapshot.Delays.TryGetValue(app.Id, out var d) && d.ConfigVersion == config ? d.Delay : null;
            var grown = Backoff.Grow(current, app, now);
            m.Snapshot = m.Snapshot with { Delays = m.Snapshot.Delays.SetItem(app.Id, new AppDelay(config, grown)) };
        }
        if (condition is Condition.Failed or Condition.Error or Condition.Gone or Condition.Dropped or Condition.Unknown && instance.TaskId is { } taskId)
        {
            var failure = new TaskFailure(instance.RunSpecId, taskId, state.ToMesosName(), FailureMessage(message, reason), instance.Host ?? "", now, instance.RunSpecVersion, instance.AgentId, reason, message);
            m.Snapshot = m.Snapshot with { LastFailures = m.Snapshot.LastFailures.SetItem(instance.RunSpecId, failure) };
        }
    }

    /// <summary>
    /// The health the agent's latest check report gives this task. Reports travel apart from status updates and are
    /// sent only when they change, so one can arrive before the task's last non-running update (which clears
    /// <c>healthy</c>): the instance takes it up when it becomes Running.
    /// </summary>
    private static bool? ReportedHealth(Mutation m, Instance instance) =>
        m.Snapshot.Health.TryGetValue(instance.Id, out var health) && health.TaskId == instance.TaskId
        && m.Snapshot.Apps.TryGetValue(instance.RunSpecId, out var app) && !app.HealthChecks.IsEmpty
            ? health.Aggregate(app.HealthChecks.Count)
            : null;

    private static string FailureMessage(string? message, string? reason) =>
        reason is null ? message ?? "" : $"{message} ({reason})".Trim();
}
