using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Server.Events;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Agent failure, as Mesos' master and Marathon handle it (spec §11.3):
/// <list type="bullet">
/// <item>an agent silent for longer than <see cref="ServerOptions.AgentTimeout"/> is lost: disconnected, and each of its
/// active instances becomes Unreachable (TASK_UNREACHABLE), which still counts as running;</item>
/// <item>each app's <c>unreachableStrategy</c> then decides: after <c>inactiveAfterSeconds</c> the instance is
/// UnreachableInactive, no longer counted, so the scale check launches a replacement; after
/// <c>expungeAfterSeconds</c> it is expunged (its task, should it come back, is killed at once); <c>disabled</c>
/// waits for ever;</item>
/// <item>an instance whose goal is not Running is expunged as soon as it is unreachable (it cannot be killed, and
/// a deletion must not wait for an agent that may never return).</item>
/// </list>
/// An agent that comes back registers again and its report reconciles everything (<see cref="StatusUpdateHandler"/>).
/// </summary>
internal sealed class AgentLiveness(ServerOptions options)
{
    /// <summary>How long an expunged task's id is remembered (so a late return is killed without the orphan grace).</summary>
    private static readonly TimeSpan ExpungedMemory = TimeSpan.FromHours(1);

    /// <summary>Whether the last scan found unreachable instances (true at start: loaded state may hold some).</summary>
    private bool _anyUnreachable = true;

    /// <summary>One check; it scans instances only when an agent was just lost or unreachable instances exist. True
    /// when an agent was just lost.</summary>
    public bool Check(Mutation m)
    {
        var lost = new HashSet<AgentId>();
        foreach (var agent in m.Snapshot.Agents.Values)
        {
            if (!agent.Lost && m.Now.UnixMilliseconds - agent.LastSeen.UnixMilliseconds > options.AgentTimeout.TotalMilliseconds)
            {
                lost.Add(agent.Info.Id);
                m.PutAgent(agent with { Connected = false, Lost = true }, durable: false);
            }
        }
        if (lost.Count == 0 && !_anyUnreachable)
        {
            ForgetOldExpunged(m);
            return false;
        }
        var any = false;
        foreach (var instance in m.Snapshot.Instances.Values)
        {
            if (instance.AgentId is { } agent && lost.Contains(agent) && instance.Condition.IsActive() && instance.Condition != Condition.Unreachable)
            {
                any = true;
                MarkUnreachable(m, instance, $"Agent {agent} has not been heard from for {options.AgentTimeout.TotalSeconds:0.#} s");
            }
            else if (instance.Condition is Condition.Unreachable or Condition.UnreachableInactive)
            {
                ApplyStrategy(m, instance);
            }
            any |= m.Snapshot.Instances.TryGetValue(instance.Id, out var now) && now.Condition is Condition.Unreachable or Condition.UnreachableInactive;
        }
        _anyUnreachable = any;
        ForgetOldExpunged(m);
        return lost.Count > 0;
    }

    private void MarkUnreachable(Mutation m, Instance instance, string message)
    {
        var unreachable = instance with
        {
            Condition = Condition.Unreachable,
            Since = m.Now,
            UnreachableSince = m.Now,
            Message = message,
            Healthy = null,
        };
        m.PutInstance(unreachable);
        m.Emit(new TaskStatusEvent(m.Now, unreachable, "TASK_UNREACHABLE", message));
        ApplyStrategy(m, unreachable);
    }

    private static void ApplyStrategy(Mutation m, Instance instance)
    {
        if (instance.Goal != Goal.Running)
        {
            Expunge(m, instance);
            return;
        }
        if (!m.Snapshot.Apps.TryGetValue(instance.RunSpecId, out var app))
        {
            Expunge(m, instance);
            return;
        }
        var strategy = app.UnreachableStrategy;
        if (strategy.Disabled)
        {
            return;
        }
        var since = instance.UnreachableSince ?? instance.Since;
        var elapsedMs = m.Now.UnixMilliseconds - since.UnixMilliseconds;
        if (elapsedMs >= strategy.ExpungeAfterSeconds * 1000L)
        {
            Expunge(m, instance);
        }
        else if (instance.Condition == Condition.Unreachable && elapsedMs >= strategy.InactiveAfterSeconds * 1000L)
        {
            m.PutInstance(instance with { Condition = Condition.UnreachableInactive, Since = m.Now });
        }
    }

    /// <summary>Forgets an instance whose agent is out of reach; its task, if it comes back, is killed at once.</summary>
    public static void Expunge(Mutation m, Instance instance)
    {
        m.RemoveInstance(instance.Id);
        if (instance.TaskId is { } taskId)
        {
            m.Snapshot = m.Snapshot with { ExpungedTasks = m.Snapshot.ExpungedTasks.SetItem(taskId, m.Now) };
        }
    }

    private static void ForgetOldExpunged(Mutation m)
    {
        var old = m.Snapshot.ExpungedTasks.Where(e => m.Now.UnixMilliseconds - e.Value.UnixMilliseconds > ExpungedMemory.TotalMilliseconds).Select(e => e.Key).ToList();
        if (old.Count > 0)
        {
            m.Snapshot = m.Snapshot with { ExpungedTasks = m.Snapshot.ExpungedTasks.RemoveRange(old) };
        }
    }
}
