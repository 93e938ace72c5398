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
/// <param name="isClusterNetwork">Named networks every agent has (<see cref="ServerOptions.IsClusterNetwork"/>).</param>
internal sealed class DeploymentRunner(InstanceFactory instances, Func<string, bool>? isClusterNetwork = null)
{
    /// <summary>Time a non-full pass may spend on plans before it leaves the rest for the next batch.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(20);

    /// <summary>Plans a pass left for lack of time: the next pass takes them first (a scheduling hint, not state).</summary>
    private readonly HashSet<DeploymentId> _behind = [];

    /// <summary>Apps that changed after the last pass had run (by the maintainer or launcher of that batch).</summary>
    private readonly HashSet<PathId> _changedSince = [];

    /// <summary>Called at the end of each batch: what changed after <see cref="Advance"/> ran must move plans next time.</summary>
    public void Remember(IReadOnlySet<PathId> changedApps) => _changedSince.UnionWith(changedApps);

    /// <summary>
    /// One pass. With <paramref name="full"/> every plan moves; otherwise plans this batch created or changed, plans
    /// whose apps changed (instances, health, readiness), and plans an earlier pass left behind, within a time budget
    /// (new and changed plans always move). Nothing else can move the others but the clock, which the regular full
    /// sweeps cover. This keeps a batch's cost bounded however many deployments run.
    /// </summary>
    public void Advance(Mutation m, bool full)
    {
        var touched = full ? null : m.TouchedDeployments.ToHashSet();
        var changed = full ? null : m.ChangedApps.Concat(_changedSince).ToHashSet();
        _changedSince.Clear();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var plans = m.Snapshot.Deployments.OrderBy(p => _behind.Contains(p.Id) ? 0 : 1).ToList();
        _behind.IntersectWith(plans.Select(p => p.Id));
        foreach (var plan in plans)
        {
            var forced = full || plan.CurrentStep == 0 || touched!.Contains(plan.Id);
            if (!forced && !_behind.Contains(plan.Id) && !plan.AffectedRunSpecs.Any(changed!.Contains))
            {
                continue;
            }
            if (!forced && System.Diagnostics.Stopwatch.GetElapsedTime(started) > Budget)
            {
                _behind.Add(plan.Id);
                continue;
            }
            _behind.Remove(plan.Id);
            AdvancePlan(m, plan);
        }
    }

    private void AdvancePlan(Mutation m, DeploymentPlan plan)
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

    /// <summary>
    /// Harrier: why the action can never finish on the cluster as it is now — asked only while some of its instances
    /// cannot be placed, since only then could it be stuck for want of room (null: it can finish, or is not stuck).
    /// </summary>
    private string? CannotComplete(Mutation m, DeploymentAction action)
    {
        if (action.Kind is not (DeploymentActionKind.ScaleApplication or DeploymentActionKind.RestartApplication)
            || !m.Snapshot.QueueReasons.TryGetValue(action.RunSpecId, out var queued) || queued.Type != "InsufficientResources"
            || !m.Snapshot.Apps.TryGetValue(action.RunSpecId, out var app))
        {
            return null;
        }
        var all = m.InstancesOf(app.Id);
        var needed = DeploymentFeasibility.SlotsNeeded(app, action, all, app.IsResident);
        var slots = PlacementCapacity.Slots([.. Launcher.Capacity(m.Snapshot).Values], app, all, needed, isClusterNetwork: isClusterNetwork);
        return DeploymentFeasibility.Check(app, action, all, app.IsResident, slots);
    }

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
        // Done when every wanted instance is healthy and ready (no checks: running is healthy; no readiness: healthy is ready)
        // and every other one is gone, or stopped for good on its reservation (resident apps).
        return wanted.Count == scaleTo
            && wanted.All(i => DeploymentReasons.IsConsideredHealthy(app, i) && (app.ReadinessChecks.IsEmpty || DeploymentReasons.IsReady(m.Snapshot, i)))
            && all.All(i => i.Goal == Goal.Running || (i.Goal == Goal.Stopped && !i.Condition.IsActive()));
    }

    /// <summary>
    /// Rolling replacement (§9.4) as Scheduling's stateless decision: kill the old instances it names, launch as many new
    /// ones as it allows, done when N new instances are healthy and ready and no old one is left.
    /// </summary>
    private bool Restart(Mutation m, PathId appId)
    {
        if (!m.Snapshot.Apps.TryGetValue(appId, out var app))
        {
            return true;
        }
        var all = m.InstancesOf(appId);
        var decision = RollingRestart.Next(RollingRestartInput.For(app, app.IsResident, all, ReadySet(m, app, all)));
        foreach (var id in decision.Kill)
        {
            var victim = m.Snapshot.Instances[id];
            m.PutInstance(victim with { Goal = app.IsResident ? Goal.Stopped : Goal.Decommissioned });
        }
        for (var k = 0; k < decision.Launch && instances.Launch(m, app); k++)
        {
        }
        return decision.Done;
    }

    private static HashSet<InstanceId>? ReadySet(Mutation m, AppSpec app, IEnumerable<Instance> all) =>
        app.ReadinessChecks.IsEmpty ? null : [.. all.Where(i => DeploymentReasons.IsReady(m.Snapshot, i)).Select(i => i.Id)];
}
