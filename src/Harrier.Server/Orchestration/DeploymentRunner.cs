using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Scheduling;
using Harrier.Server.Events;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Drives every running deployment one pass forward (Marathon's DeploymentActor, §9.3–9.4), statelessly: each pass
/// looks at the instances as they are and does what the current step still needs, so a restarted server simply
/// continues where the stored plan says it was. A step is done when all its actions are; the plan is removed when its
/// last step is done.
/// </summary>
internal sealed class DeploymentRunner(InstanceFactory instances)
{
    public void Advance(Mutation m)
    {
        foreach (var plan in m.Snapshot.Deployments.ToList())
        {
            var current = plan;
            while (true)
            {
                if (current.CurrentStep == 0)
                {
                    current = current with { CurrentStep = Math.Min(1, current.Steps.Count) };
                    m.PutDeployment(current);
                    if (current.CurrentStep == 1)
                    {
                        StepStarted(m, current);
                    }
                }
                if (current.CurrentStep == 0 || current.CurrentStep > current.Steps.Count)
                {
                    m.RemoveDeployment(current.Id);
                    DeploymentReasons.Clear(m, current);
                    m.Emit(new DeploymentSuccessEvent(m.Now, current));
                    break;
                }
                var step = current.Steps[current.CurrentStep - 1];
                var done = true;
                foreach (var action in step.Actions)
                {
                    var actionDone = Run(m, action);
                    DeploymentReasons.Set(m, current, action, actionDone ? null : DeploymentReasons.Compute(m, action, CannotComplete(m, action)));
                    done &= actionDone;
                }
                if (!done)
                {
                    break;
                }
                m.Emit(new DeploymentStepEvent(m.Now, current, current.CurrentStep, Finished: true));
                foreach (var stopped in step.Actions.Where(a => a.Kind == DeploymentActionKind.StopApplication))
                {
                    m.Emit(new AppTerminatedEvent(m.Now, stopped.RunSpecId));
                }
                current = current with { CurrentStep = current.CurrentStep + 1 };
                if (current.CurrentStep > current.Steps.Count)
                {
                    m.RemoveDeployment(current.Id);
                    DeploymentReasons.Clear(m, current);
                    m.Emit(new DeploymentSuccessEvent(m.Now, current with { CurrentStep = current.Steps.Count }));
                    break;
                }
                m.PutDeployment(current);
                StepStarted(m, current);
            }
        }
    }

    /// <summary>
    /// <c>deployment_info</c> for the step that begins, preceded by Marathon's health-check registration events:
    /// <c>add_health_check_event</c> per check of each app the step scales or restarts, <c>remove_health_check_event</c>
    /// for each app it stops.
    /// </summary>
    private static void StepStarted(Mutation m, DeploymentPlan plan)
    {
        foreach (var action in plan.Steps[plan.CurrentStep - 1].Actions)
        {
            if (action.Kind == DeploymentActionKind.StopApplication)
            {
                m.Emit(new RemoveHealthCheckEvent(m.Now, action.RunSpecId));
            }
            else if (action.Kind is DeploymentActionKind.ScaleApplication or DeploymentActionKind.RestartApplication
                && m.Snapshot.Apps.TryGetValue(action.RunSpecId, out var app))
            {
                foreach (var check in app.HealthChecks)
                {
                    m.Emit(new AddHealthCheckEvent(m.Now, app.Id, app.Version, check));
                }
            }
        }
        m.Emit(new DeploymentStepEvent(m.Now, plan, plan.CurrentStep, Finished: false));
    }

    /// <summary>Harrier: why the action can never finish on the cluster as it is (null: it can, or it is not stuck).</summary>
    private static string? CannotComplete(Mutation m, DeploymentAction action) => null;

    /// <summary>Does the action's remaining work; true when it is complete.</summary>
    private bool Run(Mutation m, DeploymentAction action) => action.Kind switch
    {
        DeploymentActionKind.StartApplication => true,
        DeploymentActionKind.StopApplication => Stop(m, action.RunSpecId),
        DeploymentActionKind.ScaleApplication => Scale(m, action),
        DeploymentActionKind.RestartApplication => Restart(m, action.RunSpecId),
        _ => true,
    };

    private static bool Stop(Mutation m, PathId appId)
    {
        foreach (var instance in m.InstancesOf(appId).Where(i => i.Goal != Goal.Decommissioned))
        {
            m.PutInstance(instance with { Goal = Goal.Decommissioned });
        }
        var gone = m.InstancesOf(appId).IsEmpty;
        if (gone)
        {
            m.Snapshot = m.Snapshot with { Delays = m.Snapshot.Delays.Remove(appId), Queue = m.Snapshot.Queue.Remove(appId) };
        }
        return gone;
    }

    private bool Scale(Mutation m, DeploymentAction action)
    {
        if (!m.Snapshot.Apps.TryGetValue(action.RunSpecId, out var app))
        {
            return true;
        }
        var scaleTo = action.ScaleTo ?? app.Instances;
        var sentenced = action.SentencedToDeath.Where(id => m.Snapshot.Instances.TryGetValue(id, out var i) && i.Goal == Goal.Running).ToList();
        instances.ScaleTo(m, app, scaleTo, sentenced);
        var all = m.InstancesOf(app.Id);
        var wanted = all.Where(i => i.Goal == Goal.Running).ToList();
        // Done when every wanted instance is healthy and ready (no checks: running is healthy; no readiness: healthy is ready).
        return wanted.Count == scaleTo
            && wanted.All(i => DeploymentReasons.IsConsideredHealthy(app, i) && (app.ReadinessChecks.IsEmpty || DeploymentReasons.IsReady(m.Snapshot, i)))
            && all.All(i => i.Goal == Goal.Running);
    }

    /// <summary>Rolling replacement (§9.4): never fewer than minHealthy considered-healthy instances, never more than maxCapacity.</summary>
    private bool Restart(Mutation m, PathId appId)
    {
        if (!m.Snapshot.Apps.TryGetValue(appId, out var app))
        {
            return true;
        }
        var n = app.Instances;
        var config = app.VersionInfo.LastConfigChangeAt;
        var all = m.InstancesOf(appId);
        var running = all.Where(i => i.Goal == Goal.Running).ToList();
        var old = running.Where(i => i.RunSpecVersion < config).ToList();
        var fresh = running.Where(i => i.RunSpecVersion >= config).ToList();
        if (n == 0 && old.Count == 0 && fresh.Count == 0)
        {
            return all.IsEmpty;
        }
        bool IsConsideredHealthy(Instance i) => DeploymentReasons.IsConsideredHealthy(app, i)
            && (i.RunSpecVersion < config || app.ReadinessChecks.IsEmpty || DeploymentReasons.IsReady(m.Snapshot, i));
        var healthy = running.Count(IsConsideredHealthy);
        var strategy = RestartStrategy.Compute(n, app.UpgradeStrategy, healthy, running.Count, resident: false);

        // Kill what the strategy allows: unhealthy old instances first, then healthy ones while enough stay healthy.
        var killBudget = Math.Max(0, healthy - strategy.MinHealthy);
        var surplus = Math.Max(0, old.Count - n);
        foreach (var victim in old.OrderBy(i => IsConsideredHealthy(i) ? 1 : 0).ThenBy(i => i.Since).ToList())
        {
            var isHealthy = IsConsideredHealthy(victim);
            if (isHealthy && killBudget <= 0 && surplus <= 0)
            {
                break;
            }
            if (isHealthy)
            {
                killBudget--;
            }
            surplus--;
            m.PutInstance(victim with { Goal = Goal.Decommissioned });
            old.Remove(victim);
        }

        // Launch new instances within capacity; old instances still alive (even decommissioned) occupy capacity.
        var oldAlive = m.InstancesOf(appId).Count(i => i.RunSpecVersion < config && (i.Goal == Goal.Running || i.Condition.IsActive()));
        var launch = RestartStrategy.LaunchCount(n, strategy.MaxCapacity, oldAlive, fresh.Count);
        for (var k = 0; k < launch; k++)
        {
            instances.Create(m, app);
        }

        var freshReady = m.InstancesOf(appId).Count(i => i.Goal == Goal.Running && i.RunSpecVersion >= config && i.Condition == Condition.Running && IsConsideredHealthy(i));
        var remaining = m.InstancesOf(appId);
        return freshReady >= n && remaining.All(i => i.RunSpecVersion >= config && i.Goal == Goal.Running);
    }

}
