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
    public void Maintain(Mutation m)
    {
        var locked = m.Snapshot.Deployments.SelectMany(d => d.AffectedRunSpecs).ToHashSet();
        foreach (var app in m.Snapshot.Apps.Values)
        {
            if (!locked.Contains(app.Id))
            {
                factory.ScaleTo(m, app, app.Instances, []);
            }
        }

        foreach (var instance in m.Snapshot.Instances.Values.ToList())
        {
            if (!m.Snapshot.Apps.ContainsKey(instance.RunSpecId) && !locked.Contains(instance.RunSpecId) && instance.Goal == Goal.Running)
            {
                m.PutInstance(instance with { Goal = Goal.Decommissioned });
            }
        }

        foreach (var instance in m.Snapshot.Instances.Values.ToList())
        {
            Step(m, instance);
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
