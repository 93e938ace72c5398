using Harrier.Core.Apps;
using Harrier.Core.Ids;

namespace Harrier.Scheduling;

/// <summary>
/// The app dependency graph of one root (spec §9.2): an edge from an app to each app it depends on. A dependency names
/// an app or a group (all transitive apps under it); a group's own dependencies apply to every app under the group.
/// Dependencies that name nothing are ignored.
/// </summary>
internal sealed class DependencyGraph
{
    private readonly Dictionary<PathId, PathId[]> _edges;

    private DependencyGraph(Dictionary<PathId, PathId[]> edges) => _edges = edges;

    public static DependencyGraph Build(
        IReadOnlyDictionary<PathId, AppSpec> apps, IReadOnlyDictionary<PathId, IReadOnlyList<PathId>>? groupDependencies)
    {
        var sorted = apps.Keys.Order().ToArray();
        var edges = new Dictionary<PathId, PathId[]>(apps.Count);
        foreach (var (id, app) in apps)
        {
            var named = new List<PathId>(app.Dependencies);
            if (groupDependencies is not null)
            {
                foreach (var (group, deps) in groupDependencies)
                {
                    if (group.IsAncestorOf(id))
                    {
                        named.AddRange(deps);
                    }
                }
            }
            edges[id] = named.Count == 0 ? [] : [.. named.SelectMany(d => Resolve(d, sorted, apps)).Distinct()];
        }
        return new DependencyGraph(edges);
    }

    public IReadOnlyList<PathId> DependenciesOf(PathId id) => _edges.TryGetValue(id, out var e) ? e : [];

    public bool HasCycle()
    {
        // 0 = unvisited, 1 = on the current path, 2 = done. Iterative so deep chains cannot overflow the stack.
        var state = new Dictionary<PathId, int>(_edges.Count);
        foreach (var start in _edges.Keys)
        {
            if (state.GetValueOrDefault(start) != 0)
            {
                continue;
            }
            var stack = new Stack<(PathId Node, int Next)>();
            stack.Push((start, 0));
            state[start] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var deps = _edges[node];
                if (next < deps.Length)
                {
                    stack.Push((node, next + 1));
                    var dep = deps[next];
                    var s = state.GetValueOrDefault(dep);
                    if (s == 1)
                    {
                        return true;
                    }
                    if (s == 0)
                    {
                        state[dep] = 1;
                        stack.Push((dep, 0));
                    }
                }
                else
                {
                    state[node] = 2;
                }
            }
        }
        return false;
    }

    /// <summary>The number of vertices of the longest dependency chain starting at each app (1 = no dependencies).</summary>
    public Dictionary<PathId, int> LongestChains()
    {
        var result = new Dictionary<PathId, int>(_edges.Count);
        foreach (var id in _edges.Keys)
        {
            Longest(id, result, []);
        }
        return result;
    }

    private int Longest(PathId id, Dictionary<PathId, int> memo, HashSet<PathId> onPath)
    {
        if (memo.TryGetValue(id, out var known))
        {
            return known;
        }
        if (!onPath.Add(id))
        {
            return 0; // a cycle: validation rejects these, so only guard against looping
        }
        var best = 0;
        foreach (var dep in _edges[id])
        {
            best = Math.Max(best, Longest(dep, memo, onPath));
        }
        onPath.Remove(id);
        memo[id] = best + 1;
        return best + 1;
    }

    private static IEnumerable<PathId> Resolve(PathId dependency, PathId[] sortedIds, IReadOnlyDictionary<PathId, AppSpec> apps)
    {
        if (apps.ContainsKey(dependency))
        {
            yield return dependency;
        }
        foreach (var id in sortedIds)
        {
            if (dependency.IsAncestorOf(id))
            {
                yield return id;
            }
        }
    }
}
