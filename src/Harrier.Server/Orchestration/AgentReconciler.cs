using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Protocol;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Periodic reconciliation (Marathon's <c>--reconciliation_interval</c>, implicit): every
/// <see cref="ServerOptions.AgentReconcileInterval"/> each connected agent is asked for every task it runs (a
/// <see cref="ReconcileCommand"/> without ids). Its answers are status updates like any other, so a task the server
/// does not track for that agent — no instance, an instance placed elsewhere, an older incarnation — becomes an orphan
/// killed after <c>--orphan-grace</c> (an older incarnation at once). A forged or lost update therefore cannot leave a
/// duplicate running for longer than the interval plus the grace. A registration counts as a reconciliation: it carries
/// the agent's task list. Owns: when each agent was last asked (memory only: after a server restart every agent
/// registers again anyway).
/// </summary>
internal sealed class AgentReconciler(ServerOptions options)
{
    private readonly Dictionary<AgentId, Timestamp> _lastAsked = [];

    /// <summary>The agent registered with its task list: that was a reconciliation.</summary>
    public void Registered(Mutation m, AgentId agent) => _lastAsked[agent] = m.Now;

    /// <summary>Each full sweep: ask the agents whose last reconciliation is older than the interval.</summary>
    public void Sweep(Mutation m)
    {
        var interval = (long)options.AgentReconcileInterval.TotalMilliseconds;
        if (interval <= 0)
        {
            return;
        }
        foreach (var (id, agent) in m.Snapshot.Agents)
        {
            if (!agent.Connected)
            {
                continue;
            }
            if (!_lastAsked.TryGetValue(id, out var last))
            {
                _lastAsked[id] = m.Now;
                continue;
            }
            if (m.Now.UnixMilliseconds - last.UnixMilliseconds >= interval)
            {
                m.Send(id, new ReconcileCommand(ValueList<TaskId>.Empty));
                _lastAsked[id] = m.Now;
            }
        }
        if (_lastAsked.Count > m.Snapshot.Agents.Count)
        {
            foreach (var gone in _lastAsked.Keys.Where(a => !m.Snapshot.Agents.ContainsKey(a)).ToList())
            {
                _lastAsked.Remove(gone);
            }
        }
    }
}
