using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Server.Cluster;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Keeps instances where their goals and apps say they should be, outside deployments:
/// <list type="bullet">
/// <item>apps no deployment is working on get exactly <c>instances</c> Running-goal instances (Marathon's scale check);</item>
/// <item>instances of apps that no longer exist are decommissioned (as Marathon's reconciliation does);</item>
/// <item>a terminal instance whose goal is Running is rescheduled under the same id (the launcher applies backoff);</item>
/// <item>instances whose goal is not Running are killed (re-sent until it takes), and expunged once terminal;</item>
/// <item>launches stuck in Provisioned/Staging/Starting longer than the launch timeout are killed.</item>
/// </list>
/// </summary>
internal sealed class InstanceMaintainer(ServerOptions options, InstanceFactory factory)
{
    /// <summary>
    /// One pass. With <paramref name="full"/> every app and instance is looked at; otherwise only the apps and
    /// instances this batch touched, since nothing else can have changed but the clock (launch timeouts and kill
    /// retries), which the regular full sweeps cover. This keeps a batch's cost independent of the cluster's size.
    /// </summary>
    /// <param name="moving">Apps being moved off a draining agent: left alone like those a deployment works on.</param>
    public void Maintain(Mutation m, bool full, IReadOnlySet<PathId> moving)
    {
        var locked = m.Snapshot.Deployments.SelectMany(d => d.AffectedRunSpecs).ToHashSet();
        locked.UnionWith(moving);
        IEnumerable<InstanceId> instanceIds;
        IEnumerable<PathId> appIds;
        if (full)
        {
            instanceIds = m.Snapshot.Instances.Keys;
            appIds = m.Snapshot.Apps.Keys.Concat(m.Snapshot.InstancesByApp.Keys);
        }
        else
        {
            instanceIds = m.TouchedInstances;
            // Only changes that can change a count: a status update alone cannot, and checking every app it touches
            // would cost O(instances of the app) per batch.
            appIds = m.RescaleApps;
        }

        foreach (var appId in appIds.Distinct().ToList())
        {
            if (locked.Contains(appId))
            {
                continue;
            }
            if (m.Snapshot.Apps.TryGetValue(appId, out var app))
            {
                factory.ScaleTo(m, app, app.Instances, []);
                continue;
            }
            // The app is gone and no deployment is stopping it: its instances are decommissioned.
            foreach (var orphan in m.InstancesOf(appId).Where(i => i.Goal == Goal.Running))
            {
                m.PutInstance(orphan with { Goal = Goal.Decommissioned });
            }
        }

        // Touched now includes what the scale check just did.
        foreach (var id in (full ? instanceIds : m.TouchedInstances).ToList())
        {
            if (m.Snapshot.Instances.TryGetValue(id, out var instance))
            {
                Step(m, instance);
            }
        }
    }

    private void Step(Mutation m, Instance instance)
    {
        var condition = instance.Condition;
        if (instance.Goal == Goal.Running)
        {
            if (condition.IsTerminal())
            {
                m.PutInstance(instance with { Condition = Condition.Scheduled, Since = m.Now, Healthy = null, ActiveSince = null });
            }
            else if (condition is Condition.Provisioned or Condition.Staging or Condition.Starting
                && m.Now.UnixMilliseconds - instance.Since.UnixMilliseconds > options.TaskLaunchTimeout.TotalMilliseconds)
            {
                Kill(m, instance);
            }
            return;
        }

        // Goal Stopped or Decommissioned: the task must die; a decommissioned instance is then expunged.
        if (condition.IsTerminal() || condition == Condition.Scheduled || condition == Condition.UnreachableInactive)
        {
            if (instance.Goal == Goal.Decommissioned)
            {
                if (instance.HoldsReservation)
                {
                    // The reservation goes with the instance: its agent destroys the volumes' data.
                    m.Send(instance.AgentId!.Value, new DestroyVolumesCommand(instance.Id, new ValueList<string>([.. instance.LocalVolumes.Select(p => LocalVolumeId.For(instance, p))])));
                }
                m.RemoveInstance(instance.Id);
            }
            return;
        }
        Kill(m, instance);
    }

    private void Kill(Mutation m, Instance instance)
    {
        if (instance.AgentId is not { } agent || instance.TaskId is not { } taskId)
        {
            return;
        }
        if (m.Snapshot.KillsSent.TryGetValue(instance.Id, out var sent)
            && m.Now.UnixMilliseconds - sent.UnixMilliseconds < options.KillRetryInterval.TotalMilliseconds)
        {
            return;
        }
        m.Send(agent, new KillTaskCommand(taskId, m.Snapshot.KillGraceSeconds(instance, options.DefaultKillGracePeriodSeconds)));
        m.Snapshot = m.Snapshot with { KillsSent = m.Snapshot.KillsSent.SetItem(instance.Id, m.Now) };
    }
}
