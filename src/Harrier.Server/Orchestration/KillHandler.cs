using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Server.Commands;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Kills instances on request without a deployment: the goal stays Running (they come back) unless
/// <c>wipe</c>, which decommissions and expunges them. Unreachable instances cannot be killed: they are expunged.
/// </summary>
internal static class KillHandler
{
    public static IReadOnlyList<Instance> Handle(Mutation m, KillInstancesCommand command, ServerOptions options)
    {
        var killed = new List<Instance>();
        foreach (var id in command.Instances.Distinct())
        {
            if (!m.Snapshot.Instances.TryGetValue(id, out var instance))
            {
                continue;
            }
            killed.Add(instance);
            if (instance.Condition is Condition.Unreachable or Condition.UnreachableInactive)
            {
                // Its agent cannot be told (Marathon's KillAction.Decommission): forget the instance, so the scale
                // check replaces it, and kill its task at once should its agent come back with it.
                AgentLiveness.Expunge(m, instance);
                continue;
            }
            if (command.Wipe)
            {
                m.PutInstance(instance with { Goal = Goal.Decommissioned });
                continue;
            }
            if (instance.AgentId is { } agent && instance.TaskId is { } taskId && instance.Condition.IsActive())
            {
                m.Send(agent, new KillTaskCommand(taskId, m.Snapshot.KillGraceSeconds(instance, options.DefaultKillGracePeriodSeconds)));
            }
        }
        return killed;
    }
}
