using Harrier.Core.Apps;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Server.Events;
using Harrier.Server.Health;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Takes agents' check reports (§8.2–8.3): keeps the latest per instance, derives the instance's health, publishes
/// Marathon's health events, and kills instances whose checks ask for it — unless the circuit breaker holds kills
/// back, in which case the kill stays pending and <see cref="Sweep"/> sends it once the breaker allows. A health kill
/// leaves the goal Running, so the instance is relaunched; Killed does not grow the backoff.
/// </summary>
internal sealed class HealthReportHandler(ServerOptions options)
{
    /// <summary>False when the report was refused: it speaks for a task placed on another agent (nothing changed).</summary>
    public bool Apply(Mutation m, TaskHealthReport report)
    {
        var instance = m.Snapshot.FindByTask(report.TaskId);
        if (instance is not null && instance.TaskId == report.TaskId && instance.AgentId != report.AgentId)
        {
            return false;
        }
        // A report may overtake the task's RUNNING update (they travel separately), so any live task counts.
        if (instance is null || instance.TaskId != report.TaskId || !instance.Condition.IsActive()
            || !m.Snapshot.Apps.TryGetValue(instance.RunSpecId, out var app))
        {
            return true;
        }
        var before = m.Snapshot.Health.TryGetValue(instance.Id, out var h) && h.TaskId == report.TaskId ? h : null;
        foreach (var result in report.Health)
        {
            var previous = before?.ResultOf(result.CheckIndex);
            if (result.LastFailure is { } failure && failure != previous?.LastFailure)
            {
                m.Emit(new FailedHealthCheckEvent(m.Now, instance, CheckAt(app, result.CheckIndex)));
            }
            if (result.Alive != (previous?.Alive ?? false))
            {
                m.Emit(new HealthStatusChangedEvent(m.Now, instance, result.Alive));
            }
        }
        var health = new InstanceHealth(report.TaskId, report.Health, report.Readiness ?? before?.Readiness, !report.KillRequested.IsEmpty);
        m.Snapshot = m.Snapshot with { Health = m.Snapshot.Health.SetItem(instance.Id, health) };
        // Health and readiness move deployments even when the instance itself does not change.
        m.Nudge(instance.RunSpecId);
        var healthy = app.HealthChecks.IsEmpty ? null : health.Aggregate(app.HealthChecks.Count);
        if (healthy != instance.Healthy)
        {
            instance = instance with { Healthy = healthy };
            m.PutInstance(instance);
            m.Emit(new InstanceHealthChangedEvent(m.Now, instance, healthy));
        }
        if (health.KillRequested)
        {
            TryKill(m, instance, health);
        }
        return true;
    }

    /// <summary>Each full sweep: re-evaluate the breaker and send the kills it held back, if it now allows them.</summary>
    public void Sweep(Mutation m)
    {
        var failing = 0;
        var checkedCount = 0;
        var failingApps = new HashSet<Harrier.Core.Ids.PathId>();
        foreach (var (id, health) in m.Snapshot.Health)
        {
            if (health.Results.IsEmpty || !m.Snapshot.Instances.TryGetValue(id, out var instance))
            {
                continue;
            }
            checkedCount++;
            if (instance.Healthy == false)
            {
                failing++;
                failingApps.Add(instance.RunSpecId);
            }
        }
        var before = m.Snapshot.HealthBreaker;
        var after = HealthKillBreaker.Evaluate(before, options.HealthBreaker, failing, checkedCount, failingApps.Count, m.Now);
        SetBreaker(m, after);
        foreach (var (id, health) in m.Snapshot.Health.Where(p => p.Value.KillRequested).ToList())
        {
            if (m.Snapshot.Instances.TryGetValue(id, out var instance))
            {
                TryKill(m, instance, health);
            }
        }
    }

    private void TryKill(Mutation m, Instance instance, InstanceHealth health)
    {
        if (instance.Goal != Goal.Running || instance.Condition != Condition.Running || instance.AgentId is not { } agent
            || instance.TaskId is not { } taskId)
        {
            return;
        }
        if (m.Snapshot.KillsSent.TryGetValue(instance.Id, out var sent)
            && m.Now.UnixMilliseconds - sent.UnixMilliseconds < options.KillRetryInterval.TotalMilliseconds)
        {
            // Already being killed: later failures of the dying task ask again; one kill is enough.
            m.Snapshot = m.Snapshot with { Health = m.Snapshot.Health.SetItem(instance.Id, health with { KillRequested = false }) };
            return;
        }
        var (allowed, breaker) = HealthKillBreaker.TryKill(m.Snapshot.HealthBreaker, options.HealthBreaker, m.Now);
        SetBreaker(m, breaker);
        if (!allowed)
        {
            return;
        }
        var cause = health.Results.Where(r => !r.Alive).Select(r => r.LastFailureCause).FirstOrDefault(c => c is not null) ?? "health check failed";
        m.Send(agent, new KillTaskCommand(taskId, m.Snapshot.KillGraceSeconds(instance, options.DefaultKillGracePeriodSeconds)));
        m.Snapshot = m.Snapshot with
        {
            KillsSent = m.Snapshot.KillsSent.SetItem(instance.Id, m.Now),
            Health = m.Snapshot.Health.SetItem(instance.Id, health with { KillRequested = false }),
        };
        m.Emit(new UnhealthyInstanceKillEvent(m.Now, instance, cause));
        ServerMetrics.HealthKills.Add(1);
    }

    private static void SetBreaker(Mutation m, HealthBreakerState state)
    {
        var before = m.Snapshot.HealthBreaker;
        if (ReferenceEquals(before, state))
        {
            return;
        }
        m.Snapshot = m.Snapshot with { HealthBreaker = state };
        if (before.Mode != state.Mode)
        {
            m.Emit(new HealthBreakerEvent(m.Now, state));
        }
    }

    private static HealthCheckSpec? CheckAt(AppSpec app, int index) =>
        index >= 0 && index < app.HealthChecks.Count ? app.HealthChecks[index] : null;
}
