using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;

namespace Harrier.Scheduling;

/// <summary>
/// How many instances of one app the cluster could hold at once right now: the app's instances that already hold a
/// place, plus what <see cref="Placer"/> could still place in free resources — so cpus, mem, disk, gpus, ports, roles,
/// draining agents and every constraint (hostname UNIQUE, MAX_PER, …) count exactly as in a real placement, including
/// the rule that instances of an older config are ignored by constraints.
/// </summary>
public static class PlacementCapacity
{
    /// <param name="agents">The agents with what is already used on them (including this app's placed instances).</param>
    /// <param name="existing">All current instances of the app.</param>
    /// <param name="upTo">Stop counting here: the answer is <c>min(slots, upTo)</c> unless the app already holds more.</param>
    public static int Slots(
        IReadOnlyList<AgentCapacity> agents, AppSpec app, IReadOnlyList<Instance> existing, int upTo, string? localRegion = null,
        Func<string, bool>? isClusterNetwork = null)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(existing);
        // Placed and not lost, whatever the goal: an instance being killed still holds its resources.
        var occupying = existing.Count(i => i.Condition.IsActive() && i.Condition != Condition.Unreachable);
        if (occupying >= upTo)
        {
            return occupying;
        }
        var hypothetical = Enumerable.Range(0, upTo - occupying).Select(k => new Instance
        {
            Id = new InstanceId($"{app.Id.SafePath}.instance-capacity-probe-{k:D8}"),
            RunSpecId = app.Id,
            RunSpecVersion = app.VersionInfo.Version,
            Since = app.VersionInfo.Version,
        }).ToArray();
        // The random source only picks host ports, which do not change how many instances fit; a fixed seed keeps
        // the answer a pure function of the inputs.
        var result = Placer.Place(agents, [new PlacementRequest(app, hypothetical, existing)], new Random(0), localRegion, isClusterNetwork);
        return occupying + result.Placed.Count;
    }
}
