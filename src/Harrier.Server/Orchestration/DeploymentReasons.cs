using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Instances;
using Harrier.Scheduling;
using Harrier.Server.Cluster;
using Harrier.Server.Events;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Harrier's structured "why is this deployment action not done yet", recomputed every pass from what the action
/// waits on, first match wins: instances that cannot be placed or are backed off (the launcher's queue reason),
/// launches in progress, failing health checks, unknown health, readiness, old instances still dying. A changed
/// reason publishes <c>deployment_waiting_event</c>; an unchanged one keeps its <c>since</c>.
/// </summary>
internal static class DeploymentReasons
{
    public static WaitReason? Compute(Mutation m, DeploymentAction action, string? cannotComplete)
    {
        var s = m.Snapshot;
        var now = m.Now;
        if (action.Kind == DeploymentActionKind.StopApplication)
        {
            var dying = s.InstancesOf(action.RunSpecId).Count();
            return dying == 0 ? null : WaitReason.Of("Killing", now, $"waiting for {dying} instance(s) to stop", ("instances", dying.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (!s.Apps.TryGetValue(action.RunSpecId, out var app))
        {
            return null;
        }
        if (cannotComplete is not null)
        {
            return WaitReason.Of("CannotComplete", now, cannotComplete, ("why", cannotComplete));
        }
        var current = s.InstancesOf(app.Id).Where(i => i.Goal == Goal.Running && i.RunSpecVersion >= app.VersionInfo.LastConfigChangeAt).ToList();
        if (current.Any(i => i.Condition == Condition.Scheduled) && s.QueueReasons.TryGetValue(app.Id, out var queued))
        {
            return queued;
        }
        var starting = current.Count(i => i.Condition is Condition.Scheduled or Condition.Provisioned or Condition.Staging or Condition.Starting);
        if (starting > 0)
        {
            return WaitReason.Of("Starting", now, $"{starting} instance(s) starting", ("instances", Count(starting)));
        }
        var running = current.Where(i => i.Condition == Condition.Running).ToList();
        if (!app.HealthChecks.IsEmpty)
        {
            var failing = running.FirstOrDefault(i => i.Healthy == false);
            if (failing is not null)
            {
                var result = s.Health.TryGetValue(failing.Id, out var h) ? h.Results.FirstOrDefault(r => !r.Alive) : null;
                var output = result?.LastFailureCause ?? "";
                var check = result?.CheckIndex ?? 0;
                return WaitReason.Of(
                    "HealthFailing",
                    now,
                    $"health check {check} of {failing.Id} fails: {output}",
                    ("check", Count(check)),
                    ("instanceId", failing.Id.Value),
                    ("lastOutput", output));
            }
            var unknown = running.Count(i => i.Healthy is null);
            if (unknown > 0)
            {
                return WaitReason.Of("HealthPending", now, $"{unknown} instance(s) not yet healthy", ("instances", Count(unknown)));
            }
        }
        if (!app.ReadinessChecks.IsEmpty)
        {
            var notReady = running.Where(i => !IsReady(s, i)).ToList();
            if (notReady.Count > 0)
            {
                var last = notReady.Select(i => s.Health.GetValueOrDefault(i.Id)?.Readiness?.LastResponse?.Status).FirstOrDefault(x => x is not null);
                return WaitReason.Of(
                    "ReadinessPending",
                    now,
                    $"{notReady.Count} instance(s) not yet ready",
                    ("instances", Count(notReady.Count)),
                    ("lastStatus", last is { } status ? Count(status) : ""));
            }
        }
        var old = s.InstancesOf(app.Id).Count(i => i.RunSpecVersion < app.VersionInfo.LastConfigChangeAt || i.Goal != Goal.Running);
        return old > 0 ? WaitReason.Of("Killing", now, $"waiting for {old} old instance(s) to stop", ("instances", Count(old))) : null;
    }

    /// <summary>Stores the action's reason and publishes an event when it changed.</summary>
    public static void Set(Mutation m, DeploymentPlan plan, DeploymentAction action, WaitReason? reason)
    {
        var key = (plan.Id, action.RunSpecId);
        var before = m.Snapshot.DeploymentReasons.GetValueOrDefault(key);
        if (reason is null)
        {
            if (before is not null)
            {
                m.Snapshot = m.Snapshot with { DeploymentReasons = m.Snapshot.DeploymentReasons.Remove(key) };
                m.Emit(new DeploymentWaitingEvent(m.Now, plan.Id, action.RunSpecId, null));
            }
            return;
        }
        if (reason.SameAs(before))
        {
            return;
        }
        var next = reason.Continuing(before);
        m.Snapshot = m.Snapshot with { DeploymentReasons = m.Snapshot.DeploymentReasons.SetItem(key, next) };
        m.Emit(new DeploymentWaitingEvent(m.Now, plan.Id, action.RunSpecId, next));
    }

    /// <summary>Drops the reasons of a deployment that ended.</summary>
    public static void Clear(Mutation m, DeploymentPlan plan)
    {
        var keys = m.Snapshot.DeploymentReasons.Keys.Where(k => k.Deployment == plan.Id).ToList();
        if (keys.Count > 0)
        {
            m.Snapshot = m.Snapshot with { DeploymentReasons = m.Snapshot.DeploymentReasons.RemoveRange(keys) };
        }
    }

    /// <summary>Scheduling's rule (the one rolling restarts count by), for an instance of <paramref name="app"/>.</summary>
    public static bool IsConsideredHealthy(AppSpec app, Instance i) => RollingRestart.IsConsideredHealthy(i, !app.HealthChecks.IsEmpty);

    public static bool IsReady(ClusterSnapshot s, Instance i) =>
        s.Health.TryGetValue(i.Id, out var h) && h.TaskId == i.TaskId && h.Readiness is { Ready: true };

    private static string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
