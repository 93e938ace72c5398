using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Scheduling;

namespace Harrier.Server.Orchestration;

/// <summary>Creates scheduled instances and applies scale decisions (§9.6) to a mutation.</summary>
internal sealed class InstanceFactory(Func<Guid> newId)
{
    public Instance Create(Mutation m, AppSpec app)
    {
        var instance = New(m, app);
        m.PutInstance(instance);
        return instance;
    }

    private Instance New(Mutation m, AppSpec app) => new()
    {
        Id = InstanceId.For(app.Id, newId()),
        RunSpecId = app.Id,
        RunSpecVersion = app.Version,
        Since = m.Now,
        Role = app.Role,
    };

    /// <summary>Creates <paramref name="count"/> scheduled instances in one snapshot change.</summary>
    public void CreateMany(Mutation m, AppSpec app, int count)
    {
        if (count <= 0)
        {
            return;
        }
        m.PutInstances([.. Enumerable.Range(0, count).Select(_ => New(m, app))]);
    }

    /// <summary>Brings the number of Running-goal instances to <paramref name="scaleTo"/>: decommissions the ones
    /// the scaling proposition picks (sentenced first), creates the missing ones.</summary>
    public void ScaleTo(Mutation m, AppSpec app, int scaleTo, IReadOnlyList<InstanceId> sentenced)
    {
        var candidates = m.InstancesOf(app.Id).Where(i => i.Goal == Goal.Running && i.Condition != Condition.UnreachableInactive).ToList();
        if (candidates.Count == scaleTo && sentenced.Count == 0)
        {
            return;
        }
        var agents = m.Snapshot.Agents;
        var decision = ScalingProposition.Propose(
            candidates, scaleTo, sentenced, app.KillSelection, app.Constraints.Items,
            i => i.AgentId is { } a && agents.TryGetValue(a, out var s) ? s.Info : null);
        foreach (var id in decision.ToKill)
        {
            if (m.Snapshot.Instances.TryGetValue(id, out var victim) && victim.Goal == Goal.Running)
            {
                m.PutInstance(victim with { Goal = Goal.Decommissioned });
            }
        }
        CreateMany(m, app, decision.ToStart);
    }
}
