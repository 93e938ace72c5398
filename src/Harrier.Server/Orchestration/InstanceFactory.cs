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

    /// <summary>
    /// One more instance for a rolling restart. A resident app relaunches a stopped instance that holds a
    /// reservation, with the new version, so its volumes' data carries over; while one is still being stopped it
    /// waits for it (false) instead of reserving new volumes elsewhere.
    /// </summary>
    public bool Launch(Mutation m, AppSpec app)
    {
        if (app.IsResident)
        {
            var stopped = m.InstancesOf(app.Id).Where(i => i.Goal == Goal.Stopped).ToList();
            if (stopped.FirstOrDefault(i => !i.Condition.IsActive()) is { } reserved)
            {
                Relaunch(m, app, reserved);
                return true;
            }
            if (stopped.Count > 0)
            {
                return false;
            }
        }
        Create(m, app);
        return true;
    }

    /// <summary>A stopped resident instance runs again, at the app's current version, on its reservation.</summary>
    private static void Relaunch(Mutation m, AppSpec app, Instance reserved) =>
        m.PutInstance(reserved with
        {
            Goal = Goal.Running,
            RunSpecVersion = app.Version,
            Condition = reserved.Condition.IsTerminal() ? Condition.Scheduled : reserved.Condition,
            Since = m.Now,
            Healthy = null,
            ActiveSince = null,
        });

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
        var resident = app.IsResident;
        foreach (var id in decision.ToKill)
        {
            if (m.Snapshot.Instances.TryGetValue(id, out var victim) && victim.Goal == Goal.Running)
            {
                // Marathon's rule: an instance that holds a reservation is stopped, keeping its volumes for a later
                // scale-up; only deleting the app (or a kill with wipe) destroys them.
                m.PutInstance(victim with { Goal = resident && victim.HoldsReservation ? Goal.Stopped : Goal.Decommissioned });
            }
        }
        var toStart = decision.ToStart;
        if (resident)
        {
            foreach (var reserved in m.InstancesOf(app.Id).Where(i => i.Goal == Goal.Stopped && !i.Condition.IsActive()).Take(toStart).ToList())
            {
                Relaunch(m, app, reserved);
                toStart--;
            }
        }
        CreateMany(m, app, toStart);
    }
}
