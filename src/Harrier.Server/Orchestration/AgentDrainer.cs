using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Scheduling;
using Harrier.Server.Cluster;
using Harrier.Server.Commands;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Moves instances off draining agents (Harrier; Mesos had maintenance windows, Marathon nothing of the kind). A
/// draining agent gets no new instances (the placer skips it). For each app with instances on it, the move is the
/// app's own rolling restart (<see cref="RollingRestart"/>, §9.4) with the instances on the agent as the "old" ones:
/// replacements start elsewhere within <c>maximumOverCapacity</c>, and old instances are killed only while
/// <c>minimumHealthCapacity</c> holds. Apps that a deployment is working on wait for it. Once nothing runs on the agent
/// it is in Maintenance until undrained. Apps being moved are locked against the scale check, which would otherwise
/// undo the over-capacity.
/// </summary>
internal sealed class AgentDrainer(InstanceFactory instances)
{
    /// <summary>Whether any agent may be draining: known after each full pass and set by a drain, so that other
    /// passes need not look at every agent.</summary>
    private bool _anyDraining = true;

    public AgentStatus SetMode(Mutation m, SetAgentModeCommand command)
    {
        _anyDraining |= command.Target == AgentMode.Draining;
        if (!m.Snapshot.Agents.TryGetValue(command.Agent, out var agent))
        {
            throw new CommandError(404, $"Agent {command.Agent} does not exist");
        }
        // Draining an agent already drained or draining changes nothing; undrain always returns it to Active.
        if ((command.Target == AgentMode.Draining && agent.Info.Mode != AgentMode.Active) || agent.Info.Mode == command.Target)
        {
            return agent;
        }
        var updated = agent with { Info = agent.Info with { Mode = command.Target } };
        m.PutAgent(updated, durable: true);
        return updated;
    }

    /// <summary>One step for every draining agent. Returns the apps being moved (the scale check must leave them alone).</summary>
    public IReadOnlySet<PathId> Step(Mutation m, bool full)
    {
        if (!full && !_anyDraining)
        {
            return new HashSet<PathId>();
        }
        var draining = m.Snapshot.Agents.Values.Where(a => a.Info.Mode == AgentMode.Draining).Select(a => a.Info.Id).ToHashSet();
        _anyDraining = draining.Count > 0;
        if (draining.Count == 0)
        {
            return new HashSet<PathId>();
        }
        var locked = m.Snapshot.Deployments.SelectMany(d => d.AffectedRunSpecs).ToHashSet();
        var onDraining = m.Snapshot.Instances.Values
            .Where(i => i.AgentId is { } a && draining.Contains(a) && (i.Goal == Goal.Running || i.Condition.IsActive()))
            .ToList();
        var moving = new HashSet<PathId>();
        foreach (var appId in onDraining.Select(i => i.RunSpecId).Distinct())
        {
            if (locked.Contains(appId) || !m.Snapshot.Apps.TryGetValue(appId, out var app))
            {
                continue;
            }
            moving.Add(appId);
            Move(m, app, draining);
        }
        var busy = onDraining.Select(i => i.AgentId!.Value).ToHashSet();
        foreach (var id in draining.Where(a => !busy.Contains(a)))
        {
            var agent = m.Snapshot.Agents[id];
            m.PutAgent(agent with { Info = agent.Info with { Mode = AgentMode.Maintenance } }, durable: true);
        }
        return moving;
    }

    private void Move(Mutation m, AppSpec app, HashSet<AgentId> draining)
    {
        var config = app.VersionInfo.LastConfigChangeAt;
        var all = m.InstancesOf(app.Id).ToList();
        // The rolling restart's view: instances on draining agents are "old", every other one is "new".
        var view = all.Select(i => i with
        {
            RunSpecVersion = i.AgentId is { } a && draining.Contains(a) ? Timestamp.Zero : Later(i.RunSpecVersion, config),
        }).ToList();
        var ready = app.ReadinessChecks.IsEmpty ? null : all.Where(i => DeploymentReasons.IsReady(m.Snapshot, i)).Select(i => i.Id).ToHashSet();
        var decision = RollingRestart.Next(RollingRestartInput.For(app, resident: false, view, ready));
        foreach (var id in decision.Kill)
        {
            var victim = m.Snapshot.Instances[id];
            m.PutInstance(victim with { Goal = Goal.Decommissioned });
        }
        for (var k = 0; k < decision.Launch; k++)
        {
            instances.Create(m, app);
        }
    }

    private static Timestamp Later(Timestamp a, Timestamp b) => a >= b ? a : b;
}
