using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Server.Cluster;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Keeps <see cref="ClusterSnapshot.Orphans"/>: live tasks agents report that belong to no instance this server
/// knows. They are listed (<c>GET /v2/orphans</c>) and killed at their <see cref="Orphan.KillAt"/>, kills re-sent
/// until the agent reports the task terminal or stops reporting it. A server recovering from agents
/// (<see cref="ServerOptions.HoldOrphans"/>) holds them instead: listed, never killed automatically.
/// </summary>
internal sealed class OrphanTracker(ServerOptions options)
{
    /// <summary>An agent reported a task of no known instance (in a status update or its registration).</summary>
    public void Observe(Mutation m, AgentId agent, TaskId taskId, TaskState state)
    {
        var orphans = m.Snapshot.Orphans;
        if (state.IsTerminal())
        {
            if (orphans.ContainsKey(taskId))
            {
                m.Snapshot = m.Snapshot with { Orphans = orphans.Remove(taskId) };
            }
            return;
        }
        if (orphans.TryGetValue(taskId, out var known))
        {
            if (known.State != state || known.AgentId != agent)
            {
                m.Snapshot = m.Snapshot with { Orphans = orphans.SetItem(taskId, known with { State = state, AgentId = agent }) };
            }
            return;
        }
        var expunged = m.Snapshot.ExpungedTasks.ContainsKey(taskId);
        var killAt = expunged ? m.Now : m.Now.Plus(options.OrphanGracePeriod);
        var held = options.HoldOrphans && !expunged;
        m.Snapshot = m.Snapshot with { Orphans = orphans.SetItem(taskId, new Orphan(taskId, agent, state, m.Now, killAt) { Held = held }) };
    }

    /// <summary>The agent registered with this task list: its orphans that are not in it are gone.</summary>
    public void Reconciled(Mutation m, AgentId agent, IReadOnlySet<TaskId> reported)
    {
        var gone = m.Snapshot.Orphans.Values.Where(o => o.AgentId == agent && !reported.Contains(o.TaskId)).Select(o => o.TaskId).ToList();
        if (gone.Count > 0)
        {
            m.Snapshot = m.Snapshot with { Orphans = m.Snapshot.Orphans.RemoveRange(gone) };
        }
    }

    /// <summary>Sends the kills that are due.</summary>
    public void KillDue(Mutation m)
    {
        foreach (var orphan in m.Snapshot.Orphans.Values)
        {
            if (orphan.Held
                || orphan.KillAt > m.Now
                || orphan.KillSent is { } sent && m.Now.UnixMilliseconds - sent.UnixMilliseconds < options.KillRetryInterval.TotalMilliseconds)
            {
                continue;
            }
            m.Send(orphan.AgentId, new KillTaskCommand(orphan.TaskId, options.DefaultKillGracePeriodSeconds));
            m.Snapshot = m.Snapshot with { Orphans = m.Snapshot.Orphans.SetItem(orphan.TaskId, orphan with { KillSent = m.Now }) };
        }
    }
}
