using Harrier.Core.Ids;
using Harrier.Core.Resources;

namespace Harrier.Scheduling;

/// <summary>
/// The placer's working copy of the agents for one <see cref="Placer.Place"/> call: free resources and the ports taken
/// by earlier placements of the same call, plus per-field constraint values computed once per field. The inputs are
/// never mutated.
/// </summary>
internal sealed class AgentPool
{
    private const int RandomProbes = 64;

    private readonly HashSet<int>?[] _taken;
    private readonly int[] _freePortCount;
    private readonly Dictionary<string, FieldColumn> _fields = new(StringComparer.Ordinal);
    private readonly int[] _fresh;
    private int _freshCount;

    public AgentPool(IReadOnlyList<AgentCapacity> agents)
    {
        Agents = [.. agents];
        Free = new ResourceVector[Agents.Length];
        _taken = new HashSet<int>?[Agents.Length];
        _freePortCount = new int[Agents.Length];
        IndexOf = new Dictionary<AgentId, int>(Agents.Length);
        for (var i = 0; i < Agents.Length; i++)
        {
            Free[i] = Agents[i].Agent.Resources - Agents[i].Used;
            _freePortCount[i] = -1;
            IndexOf.TryAdd(Agents[i].Agent.Id, i);
        }
        _fresh = new int[Agents.Length];
    }

    public AgentCapacity[] Agents { get; }

    public ResourceVector[] Free { get; }

    public Dictionary<AgentId, int> IndexOf { get; }

    public int Count => Agents.Length;

    /// <summary>The value of a constraint field for every agent, computed once per call and field.</summary>
    public FieldColumn Field(string field)
    {
        if (!_fields.TryGetValue(field, out var column))
        {
            column = new FieldColumn(Agents.Length, i => ConstraintField.ValueOf(Agents[i].Agent, field));
            _fields[field] = column;
        }
        return column;
    }

    public bool IsPortFree(int agent, int port) =>
        InRanges(agent, port) && !Agents[agent].UsedPorts.Contains(port) && _taken[agent]?.Contains(port) != true;

    public bool PortsFit(int agent, PortNeed need)
    {
        if (need.IsEmpty)
        {
            return true;
        }
        foreach (var port in need.Fixed)
        {
            if (!IsPortFree(agent, port))
            {
                return false;
            }
        }
        return need.RandomCount == 0 || FreePortCount(agent) - need.Fixed.Length >= need.RandomCount;
    }

    /// <summary>Allocates the ports of <paramref name="need"/> (which must fit) and records them as taken.</summary>
    public int[] TakePorts(int agent, PortNeed need, Random random)
    {
        var result = new int[need.Requests.Length];
        if (result.Length == 0)
        {
            return result;
        }
        var taken = _taken[agent] ??= [];
        var chosen = new HashSet<int>(need.Fixed);
        var ranges = Agents[agent].Agent.Ports;
        var total = ranges.Sum(r => (long)r.Count);
        List<int>? remaining = null;
        for (var i = 0; i < result.Length; i++)
        {
            if (need.Requests[i] is { } exact)
            {
                result[i] = exact;
                continue;
            }
            var port = 0;
            // Random probing is O(1) while the agent has many free ports; fall back to an explicit list when crowded.
            for (var probe = 0; probe < RandomProbes && remaining is null; probe++)
            {
                var candidate = PortAt(ranges, random.NextInt64(total));
                if (!chosen.Contains(candidate) && IsPortFree(agent, candidate))
                {
                    port = candidate;
                    break;
                }
            }
            if (port == 0)
            {
                remaining ??= [.. ranges.SelectMany(r => Enumerable.Range(r.Begin, r.Count)).Where(p => !chosen.Contains(p) && IsPortFree(agent, p))];
                var pick = random.Next(remaining.Count);
                port = remaining[pick];
                remaining[pick] = remaining[^1];
                remaining.RemoveAt(remaining.Count - 1);
            }
            chosen.Add(port);
            result[i] = port;
        }
        var before = _freePortCount[agent];
        foreach (var port in chosen)
        {
            taken.Add(port);
        }
        if (before >= 0)
        {
            _freePortCount[agent] = before - chosen.Count;
        }
        return result;
    }

    public void Consume(int agent, ResourceVector need) => Free[agent] -= need;

    /// <summary>
    /// Starts a fresh order: every agent not excluded, most free cpus first (then input order), as a binary heap that
    /// <see cref="NextFresh"/> pops lazily. O(A) to build, O(log A) per agent taken. The caller must not change the
    /// free resources of an agent still in the heap (it only places on agents it has taken out).
    /// </summary>
    public void ResetFresh(Func<int, bool> exclude)
    {
        _freshCount = 0;
        for (var i = 0; i < Agents.Length; i++)
        {
            if (!exclude(i))
            {
                _fresh[_freshCount++] = i;
            }
        }
        for (var i = (_freshCount / 2) - 1; i >= 0; i--)
        {
            SiftDown(i);
        }
    }

    /// <summary>The next agent of the fresh order, or -1 when none is left.</summary>
    public int NextFresh()
    {
        if (_freshCount == 0)
        {
            return -1;
        }
        var top = _fresh[0];
        _fresh[0] = _fresh[--_freshCount];
        SiftDown(0);
        return top;
    }

    private bool Before(int a, int b) => Free[a].Cpus > Free[b].Cpus || (Free[a].Cpus == Free[b].Cpus && a < b);

    private void SiftDown(int i)
    {
        while (true)
        {
            var best = i;
            var left = (2 * i) + 1;
            var right = left + 1;
            if (left < _freshCount && Before(_fresh[left], _fresh[best]))
            {
                best = left;
            }
            if (right < _freshCount && Before(_fresh[right], _fresh[best]))
            {
                best = right;
            }
            if (best == i)
            {
                return;
            }
            (_fresh[i], _fresh[best]) = (_fresh[best], _fresh[i]);
            i = best;
        }
    }

    private int FreePortCount(int agent)
    {
        if (_freePortCount[agent] < 0)
        {
            var ranges = Agents[agent].Agent.Ports;
            var free = ranges.Sum(r => r.Count);
            foreach (var used in Agents[agent].UsedPorts)
            {
                if (InRanges(agent, used))
                {
                    free--;
                }
            }
            foreach (var used in _taken[agent] ?? [])
            {
                if (!Agents[agent].UsedPorts.Contains(used) && InRanges(agent, used))
                {
                    free--;
                }
            }
            _freePortCount[agent] = Math.Max(0, free);
        }
        return _freePortCount[agent];
    }

    private bool InRanges(int agent, int port)
    {
        foreach (var range in Agents[agent].Agent.Ports)
        {
            if (range.Contains(port))
            {
                return true;
            }
        }
        return false;
    }

    private static int PortAt(IReadOnlyList<PortRange> ranges, long index)
    {
        foreach (var range in ranges)
        {
            if (index < range.Count)
            {
                return range.Begin + (int)index;
            }
            index -= range.Count;
        }
        return ranges[^1].End;
    }
}
