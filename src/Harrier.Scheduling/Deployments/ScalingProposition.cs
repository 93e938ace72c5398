using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;

namespace Harrier.Scheduling;

/// <summary>
/// Marathon's scaling proposition (spec §9.6, <c>ScalingProposition</c> and <c>Constraints.selectInstancesToKill</c>).
/// Candidates are the instances with goal Running that are not UnreachableInactive. Kill order: explicitly sentenced,
/// then picks that keep GROUP_BY groups balanced, then by condition (Unreachable, Staging, Starting, Running, others)
/// and age according to <see cref="KillSelection"/>.
/// </summary>
public static class ScalingProposition
{
    public static ScalingDecision Propose(
        IReadOnlyList<Instance> instances,
        int scaleTo,
        IReadOnlyList<InstanceId> sentenced,
        KillSelection killSelection,
        IReadOnlyList<ConstraintSpec> constraints,
        Func<Instance, AgentInfo?> agentOf)
    {
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(sentenced);
        ArgumentNullException.ThrowIfNull(constraints);
        ArgumentNullException.ThrowIfNull(agentOf);
        var candidates = instances.Where(i => i.Goal == Goal.Running && i.Condition != Condition.UnreachableInactive).ToList();
        var byId = candidates.ToDictionary(i => i.Id);
        var sentencedCandidates = sentenced.Distinct().Where(byId.ContainsKey).Select(id => byId[id]).ToList();
        var sentencedIds = sentencedCandidates.Select(i => i.Id).ToHashSet();
        var rest = candidates.Where(i => !sentencedIds.Contains(i.Id)).ToList();
        rest.Sort(KillOrder(killSelection));

        var toKillCount = Math.Max(candidates.Count - Math.Max(0, scaleTo), sentencedCandidates.Count);
        var forConstraints = SelectForGroupBy(rest, Math.Max(0, toKillCount - sentencedCandidates.Count), constraints, agentOf);
        var chosen = forConstraints.Select(i => i.Id).ToHashSet();

        var ordered = sentencedCandidates.Concat(forConstraints).Concat(rest.Where(i => !chosen.Contains(i.Id)));
        var toKill = ordered.Take(toKillCount).Select(i => i.Id).ToArray();
        return new ScalingDecision(toKill, Math.Max(0, scaleTo) - candidates.Count + toKillCount);
    }

    /// <summary>
    /// Kill-and-scale (<c>TaskKiller.killAndScale</c>): the new instance count after killing <paramref name="selected"/>
    /// with <c>scale=true</c> — lowered by the selected instances that are active and not already being killed, never
    /// below 0. The same instances go to the plan as <c>sentencedToDeath</c>.
    /// </summary>
    public static int InstancesAfterKill(int instances, IEnumerable<Instance> selected)
    {
        ArgumentNullException.ThrowIfNull(selected);
        var killed = selected.Count(i => i.Condition.IsActive() && i.Condition != Condition.Killing && i.Goal == Goal.Running);
        return Math.Max(0, instances - killed);
    }

    /// <summary>
    /// Repeatedly takes an instance from the most populated group of the GROUP_BY distribution that is most uneven.
    /// <paramref name="ordered"/> is in kill order, so within a group the usual kill order decides.
    /// </summary>
    private static List<Instance> SelectForGroupBy(
        List<Instance> ordered, int count, IReadOnlyList<ConstraintSpec> constraints, Func<Instance, AgentInfo?> agentOf)
    {
        var groupBys = constraints.Where(c => c.Operator == "GROUP_BY").ToArray();
        var picked = new List<Instance>();
        if (groupBys.Length == 0 || count == 0)
        {
            return picked;
        }
        var agents = ordered.ToDictionary(i => i.Id, agentOf);
        // Per constraint: group value → instances (kill order). Instances without a known agent belong to no group.
        var distributions = groupBys.Select(c =>
            ordered.Where(i => agents[i.Id] is not null)
                .GroupBy(i => ConstraintField.ValueOf(agents[i.Id]!, c.Field) ?? "")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.ToList())
                .ToList())
            .Where(d => d.Count > 0)
            .ToList();
        if (distributions.Count == 0)
        {
            return picked;
        }
        var taken = new HashSet<InstanceId>();
        while (picked.Count < count)
        {
            Instance? next = null;
            foreach (var distribution in distributions.OrderByDescending(d => Difference(d, taken)))
            {
                var largest = distribution.Select(g => g.Where(i => !taken.Contains(i.Id)).ToList()).MaxBy(g => g.Count);
                if (largest is { Count: > 0 })
                {
                    next = largest[0];
                    break;
                }
            }
            // Marathon falls back to the first remaining instance when no distribution offers one.
            next ??= ordered.FirstOrDefault(i => !taken.Contains(i.Id));
            if (next is null)
            {
                break;
            }
            taken.Add(next.Id);
            picked.Add(next);
        }
        return picked;
    }

    private static int Difference(List<List<Instance>> distribution, HashSet<InstanceId> without)
    {
        var sizes = distribution.Select(g => g.Count(i => !without.Contains(i.Id))).ToArray();
        return sizes.Max() - sizes.Min();
    }

    private static int Weight(Condition c) => c switch
    {
        Condition.Unreachable => 1,
        Condition.Staging => 2,
        Condition.Starting => 3,
        Condition.Running => 4,
        _ => 5,
    };

    private static Comparison<Instance> KillOrder(KillSelection selection) => (a, b) =>
    {
        var byWeight = Weight(a.Condition).CompareTo(Weight(b.Condition));
        if (byWeight != 0)
        {
            return byWeight;
        }
        var (ta, tb) = (TimeOf(a), TimeOf(b));
        if (ta is null || tb is null)
        {
            // Instances without a time (never active) go first.
            return ta is null ? (tb is null ? a.Id.Value.CompareTo(b.Id.Value, StringComparison.Ordinal) : -1) : 1;
        }
        var byTime = selection == KillSelection.YoungestFirst ? tb.Value.CompareTo(ta.Value) : ta.Value.CompareTo(tb.Value);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Id.Value, b.Id.Value);
    };

    private static Timestamp? TimeOf(Instance i) => i.Condition switch
    {
        Condition.Staging => i.StagedAt ?? i.Since,
        Condition.Starting => i.Since,
        _ => i.ActiveSince,
    };
}
