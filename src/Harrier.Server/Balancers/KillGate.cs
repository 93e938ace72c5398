using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Server.Agents;
using Harrier.Server.Cluster;

namespace Harrier.Server.Balancers;

/// <summary>
/// The seam between a committed batch and the agents: every agent command goes out through <see cref="Dispatch"/>.
/// A <see cref="KillTaskCommand"/> for a task that is RUNNING, of an app a registered balancer fronts
/// (<see cref="BalancerGroups"/>), is handed to the <see cref="BalancerRegistry"/> instead, which sends it once every
/// such balancer confirmed the drain or the timeout passed (the app's <c>taskKillGracePeriodSeconds</c> when set, else
/// <see cref="ServerOptions.BalancerDrainTimeout"/>). Orphans, older incarnations, tasks never RUNNING and kills no
/// balancer fronts go out at once, in order with the rest. Runs on the orchestrator's thread; never waits.
/// </summary>
internal sealed class KillGate(BalancerRegistry balancers, AgentConnections agents, ServerOptions options)
{
    /// <summary>Sends a published batch's agent commands, holding the kills balancers must drain first.</summary>
    /// <param name="before">The snapshot the batch started from (an app deleted in the batch is found there).</param>
    /// <param name="after">The published snapshot.</param>
    /// <param name="touched">Instances the batch changed: holds whose task ended there are released.</param>
    public void Dispatch(ClusterSnapshot before, ClusterSnapshot after, IReadOnlyList<(AgentId Agent, AgentCommand Command)> outbox, IReadOnlySet<InstanceId> touched)
    {
        foreach (var (agent, command) in outbox)
        {
            if (command is KillTaskCommand kill && TryHold(before, after, agent, kill))
            {
                continue;
            }
            agents.Send(agent, command);
        }
        if (touched.Count > 0)
        {
            balancers.ReleaseEnded(hold => touched.Contains(hold.Instance) && !StillRunning(after, hold.Instance, hold.Command.TaskId));
        }
    }

    private bool TryHold(ClusterSnapshot before, ClusterSnapshot after, AgentId agent, KillTaskCommand kill)
    {
        if (kill.TaskId.Instance is not { } instanceId
            || !after.Instances.TryGetValue(instanceId, out var instance)
            || instance.TaskId != kill.TaskId
            || instance.Condition != Condition.Running)
        {
            return false;
        }
        if (!after.Apps.TryGetValue(instance.RunSpecId, out var app) && !before.Apps.TryGetValue(instance.RunSpecId, out app))
        {
            return false;
        }
        var timeout = app.TaskKillGracePeriodSeconds is { } grace ? TimeSpan.FromSeconds(grace) : options.BalancerDrainTimeout;
        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }
        return balancers.TryHold(
            agent,
            kill,
            instanceId,
            groups => BalancerGroups.Fronts(app.Labels, groups),
            now => new DrainRequest(kill.TaskId.Value, app.Id.ToString(), instance.Host ?? "", [.. instance.HostPorts], now, now.Plus(timeout)));
    }

    /// <summary>The held task is still the instance's live task: not ended, not replaced by a new incarnation, not expunged.</summary>
    private static bool StillRunning(ClusterSnapshot snapshot, InstanceId id, TaskId task) =>
        snapshot.Instances.TryGetValue(id, out var instance) && instance.TaskId == task && !instance.Condition.IsTerminal();
}
