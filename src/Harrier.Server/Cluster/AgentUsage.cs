using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;

namespace Harrier.Server.Cluster;

/// <summary>
/// What the live tasks placed on one agent use, whatever their goal (a task being killed still holds its
/// resources): the resource sum, the host ports, and how many tasks; plus the disk of persistent volumes that
/// resident instances hold reserved there while they run no task.
/// </summary>
public sealed record AgentUsage(ResourceVector Used, HashSet<int> Ports, int Tasks)
{
    /// <summary>Usage per agent that has live tasks (agents without any are absent). One pass over the instances.</summary>
    public static Dictionary<AgentId, AgentUsage> Of(ClusterSnapshot snapshot)
    {
        var usage = new Dictionary<AgentId, AgentUsage>();
        foreach (var instance in snapshot.Instances.Values)
        {
            if (instance.AgentId is not { } agent)
            {
                continue;
            }
            if (!instance.Condition.IsActive())
            {
                // A reservation holds its volumes' disk while no task runs (a stopped or relaunching resident instance).
                if (instance.HoldsReservation && snapshot.Apps.TryGetValue(instance.RunSpecId, out var resident))
                {
                    var r = usage.TryGetValue(agent, out var held) ? held : new AgentUsage(ResourceVector.Zero, [], 0);
                    usage[agent] = r with { Used = r.Used + new ResourceVector(0, 0, resident.PersistentVolumeMiB, 0) };
                }
                continue;
            }
            var need = snapshot.Apps.TryGetValue(instance.RunSpecId, out var app)
                ? new ResourceVector(app.Cpus, app.Mem, app.Disk + (instance.HoldsReservation ? app.PersistentVolumeMiB : 0), app.Gpus)
                : ResourceVector.Zero;
            var u = usage.TryGetValue(agent, out var existing) ? existing : new AgentUsage(ResourceVector.Zero, [], 0);
            u.Ports.UnionWith(instance.HostPorts);
            usage[agent] = u with { Used = u.Used + need, Tasks = u.Tasks + 1 };
        }
        return usage;
    }
}
