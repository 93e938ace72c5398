using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;

namespace Harrier.Scheduling;

/// <summary>
/// Chooses an agent and host ports for each instance to launch (spec §6.2, §7) from a snapshot of agents. Pure: the
/// inputs are not mutated; resources and ports used by earlier placements of the same call are accounted for.
/// <para>
/// Per request (one app) the placer scans the agents once for the checks that depend on the agent alone (role,
/// draining, fault domain, static constraints, resources, exact ports) and heapifies the feasible ones by spread rank:
/// fewest instances of this app first, then most free cpus, then input order. Each placement pops the best agent,
/// re-checks the count-dependent constraints (UNIQUE, MAX_PER, CLUSTER, GROUP_BY) and pushes the agent back with its
/// new rank if it still fits; an agent they reject is dropped, or, under GROUP_BY without a value, parked until its
/// group is among the least populated again. Cost per request: O(A + k·log A) for A agents and k instances, plus O(A) once when some
/// instances stay unplaced (to count reject reasons). Requests should be batched per app.
/// </para>
/// </summary>
public static class Placer
{
    /// <param name="random">Chooses random host ports; seed it for reproducible results.</param>
    /// <param name="localRegion">
    /// The cluster's local region: apps without a <c>@region</c>/<c>@zone</c> constraint only go to agents in it or
    /// without a region. Null disables the check.
    /// </param>
    /// <param name="isClusterNetwork">
    /// True for a named network every agent has (an overlay): an app on it may go anywhere. Any other named network must
    /// be among the agent's <c>Networks</c>. Null: no network is cluster-wide.
    /// </param>
    public static PlacementResult Place(
        IReadOnlyList<AgentCapacity> agents, IReadOnlyList<PlacementRequest> requests, Random random, string? localRegion = null,
        Func<string, bool>? isClusterNetwork = null)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(random);
        var pool = new AgentPool(agents);
        var placed = new List<Placement>();
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var placedByApp = new Dictionary<PathId, List<int>>();
        var constraintRejects = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            PlaceRequest(pool, request, random, localRegion, isClusterNetwork, placed, reasons, placedByApp, constraintRejects);
        }
        return new PlacementResult(placed, reasons) { ConstraintRejects = constraintRejects };
    }

    /// <summary>
    /// <see cref="Place"/> with one result per request (same order): the agents are prepared once for all of them,
    /// and each request sees what the earlier ones consumed. What a control pass with many apps to launch calls.
    /// </summary>
    public static IReadOnlyList<PlacementResult> PlaceEach(
        IReadOnlyList<AgentCapacity> agents, IReadOnlyList<PlacementRequest> requests, Random random, string? localRegion = null,
        Func<string, bool>? isClusterNetwork = null)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(random);
        var pool = new AgentPool(agents);
        var placedByApp = new Dictionary<PathId, List<int>>();
        var results = new List<PlacementResult>(requests.Count);
        foreach (var request in requests)
        {
            var placed = new List<Placement>();
            var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
            var constraintRejects = new Dictionary<string, int>(StringComparer.Ordinal);
            PlaceRequest(pool, request, random, localRegion, isClusterNetwork, placed, reasons, placedByApp, constraintRejects);
            results.Add(new PlacementResult(placed, reasons) { ConstraintRejects = constraintRejects });
        }
        return results;
    }

    private static void PlaceRequest(
        AgentPool pool,
        PlacementRequest request,
        Random random,
        string? localRegion,
        Func<string, bool>? isClusterNetwork,
        List<Placement> placed,
        Dictionary<string, int> reasons,
        Dictionary<PathId, List<int>> placedByApp,
        Dictionary<string, int> constraintRejects)
    {
        if (request.ToPlace.Count == 0)
        {
            return;
        }
        var app = request.App;
        var fit = new AgentFit(app, pool, localRegion, isClusterNetwork);
        // Built only when an existing instance occupies an agent: in a first deployment none does.
        HashSet<InstanceId>? toPlace = null;
        var configVersion = app.VersionInfo.LastConfigChangeAt;

        // Instances of this app per agent index: sized for the agents they can end up on, so placing grows it no more.
        var spread = new Dictionary<int, int>(Math.Min(pool.Count, request.Existing.Count + request.ToPlace.Count));
        var counted = new List<int>();
        foreach (var existing in request.Existing)
        {
            if (existing.Goal != Goal.Running || !Occupies(existing.Condition)
                || existing.AgentId is not { } agentId || !pool.IndexOf.TryGetValue(agentId, out var index)
                || (toPlace ??= [.. request.ToPlace.Select(i => i.Id)]).Contains(existing.Id))
            {
                continue;
            }
            spread[index] = spread.GetValueOrDefault(index) + 1;
            // Instances of an older config are about to be replaced: constraints ignore them.
            if (existing.RunSpecVersion >= configVersion)
            {
                counted.Add(index);
            }
        }
        var earlier = placedByApp.TryGetValue(app.Id, out var list) ? list : placedByApp[app.Id] = [];
        foreach (var index in earlier)
        {
            spread[index] = spread.GetValueOrDefault(index) + 1;
            counted.Add(index);
        }

        var target = Math.Max(app.Instances, counted.Count + request.ToPlace.Count);
        var constraints = ConstraintState.For(app.Constraints, pool, target);
        foreach (var index in counted)
        {
            constraints.Record(index);
        }

        var state = new RequestState(pool, fit, constraints, spread, earlier, random, placed);
        var unplaced = constraints.Groups is { } groups
            ? PlaceByGroup(state, groups, request.ToPlace)
            : PlaceByRank(state, request.ToPlace);

        if (unplaced > 0)
        {
            for (var a = 0; a < pool.Count; a++)
            {
                foreach (var reason in fit.Reasons(a, constraints))
                {
                    reasons[reason] = reasons.GetValueOrDefault(reason) + unplaced;
                }
                foreach (var constraint in constraints.Excluding(a))
                {
                    constraintRejects[constraint] = constraintRejects.GetValueOrDefault(constraint) + 1;
                }
            }
        }
    }

    /// <summary>
    /// The general loop: one heap of the agents running this app and a lazy stream of the others, best rank first.
    /// Returns how many instances stayed unplaced.
    /// </summary>
    private static int PlaceByRank(RequestState state, IReadOnlyList<Instance> toPlace)
    {
        var pool = state.Pool;
        var constraints = state.Constraints;
        // Agents already running this app rank by count; all others (count 0) come lazily from a heap by free cpus,
        // so a request pays O(A) once to heapify and O(log A) per agent it actually looks at.
        var heap = new PriorityQueue<int, Rank>(state.Spread.Keys.Where(state.Feasible).Select(a => (a, state.Rank(a))));
        pool.ResetFresh(state.Spread.ContainsKey);
        int? freshNext = null;
        int? NextFresh()
        {
            while (freshNext is null)
            {
                var a = pool.NextFresh();
                if (a < 0)
                {
                    break;
                }
                if (state.Feasible(a))
                {
                    freshNext = a;
                }
            }
            return freshNext;
        }

        var released = new List<int>();
        var unplaced = 0;
        foreach (var instance in toPlace)
        {
            var done = false;
            while (!done)
            {
                while (heap.TryPeek(out var top, out var topRank) && topRank != state.Rank(top))
                {
                    heap.Dequeue(); // stale: the agent was re-queued with its newer rank
                }
                int a;
                var candidate = NextFresh();
                if (candidate is { } f && (!heap.TryPeek(out _, out var best) || state.Rank(f).CompareTo(best) < 0))
                {
                    a = f;
                    freshNext = null;
                }
                else if (!heap.TryDequeue(out a, out _))
                {
                    break;
                }
                if (!constraints.DynamicOk(a))
                {
                    constraints.Park(a);
                    continue;
                }
                if (state.PlaceOn(a, instance, released))
                {
                    heap.Enqueue(a, state.Rank(a));
                }
                foreach (var p in released)
                {
                    heap.Enqueue(p, state.Rank(p));
                }
                released.Clear();
                done = true;
            }
            if (!done)
            {
                unplaced++;
            }
        }
        return unplaced;
    }

    /// <summary>
    /// The loop under one GROUP_BY without a value, where only a new group or one of the least populated may take the
    /// next instance. Agents seen so far wait in one heap per group, and the groups that may take the next instance in
    /// a heap by their best agent; the agents not seen yet come from the same lazy stream as in the general loop. A
    /// group that may not take the next instance leaves the group heap until the least count reaches it, so its agents
    /// are looked at once per request rather than once per round of the groups. Places on the same agents, in the same
    /// order, as the general loop. Returns how many instances stayed unplaced.
    /// </summary>
    private static int PlaceByGroup(RequestState state, IRebalancingGroups groups, IReadOnlyList<Instance> toPlace)
    {
        var pool = state.Pool;
        var byGroup = new PriorityQueue<int, Rank>?[groups.Count];
        // A group is listed (one live entry in tops, the others are stale versions), waiting, or neither (no agents).
        var tops = new PriorityQueue<(int Group, int Version), Rank>();
        var version = new int[groups.Count];
        var listedAt = new Rank?[groups.Count];
        var isWaiting = new bool[groups.Count];
        var waiting = new List<int>();

        void List(int g, Rank best)
        {
            version[g]++;
            listedAt[g] = best;
            tops.Enqueue((g, version[g]), best);
        }

        void Add(int a)
        {
            var g = groups.GroupOf(a);
            var rank = state.Rank(a);
            (byGroup[g] ??= new PriorityQueue<int, Rank>()).Enqueue(a, rank);
            if (!isWaiting[g] && (listedAt[g] is not { } listed || rank.CompareTo(listed) < 0))
            {
                List(g, rank);
            }
        }

        // The best agent of the groups that may take the next instance; tops keeps, per group, a rank no worse than
        // its best agent's (ranks only grow as agents take instances), so an entry found current is the minimum.
        bool TryBest(out int group, out Rank best)
        {
            while (tops.TryPeek(out var entry, out var recorded))
            {
                var g = entry.Group;
                if (entry.Version != version[g])
                {
                    tops.Dequeue();
                    continue;
                }
                var heap = byGroup[g]!;
                if (!heap.TryPeek(out _, out var current))
                {
                    tops.Dequeue();
                    listedAt[g] = null;
                    continue;
                }
                if (current != recorded)
                {
                    tops.Dequeue();
                    List(g, current);
                    continue;
                }
                if (!groups.MayTake(g))
                {
                    tops.Dequeue();
                    listedAt[g] = null;
                    isWaiting[g] = true;
                    waiting.Add(g);
                    continue;
                }
                (group, best) = (g, current);
                return true;
            }
            (group, best) = (-1, default);
            return false;
        }

        foreach (var a in state.Spread.Keys)
        {
            if (state.Feasible(a))
            {
                Add(a);
            }
        }
        pool.ResetFresh(state.Spread.ContainsKey);
        int? freshNext = null;
        int? NextFresh()
        {
            while (freshNext is null)
            {
                var a = pool.NextFresh();
                if (a < 0)
                {
                    break;
                }
                if (state.Feasible(a))
                {
                    freshNext = a;
                }
            }
            return freshNext;
        }

        var unplaced = 0;
        foreach (var instance in toPlace)
        {
            var done = false;
            while (!done)
            {
                var listed = TryBest(out var g, out var best);
                int a;
                if (NextFresh() is { } f && (!listed || state.Rank(f).CompareTo(best) < 0))
                {
                    freshNext = null;
                    if (!groups.MayTake(groups.GroupOf(f)))
                    {
                        Add(f); // waits with its group
                        continue;
                    }
                    a = f;
                }
                else if (listed)
                {
                    a = byGroup[g]!.Dequeue();
                }
                else
                {
                    break;
                }
                if (!state.Constraints.DynamicOk(a))
                {
                    continue; // another constraint rejects the agent; those stay rejected for the rest of the request
                }
                var least = groups.Least;
                if (state.PlaceOn(a, instance, null))
                {
                    Add(a);
                }
                if (groups.Least != least)
                {
                    // The least count rose: the groups now at it may take instances again.
                    for (var i = waiting.Count - 1; i >= 0; i--)
                    {
                        var w = waiting[i];
                        if (groups.MayTake(w))
                        {
                            isWaiting[w] = false;
                            waiting[i] = waiting[^1];
                            waiting.RemoveAt(waiting.Count - 1);
                            if (byGroup[w]!.TryPeek(out _, out var wBest))
                            {
                                List(w, wBest);
                            }
                        }
                    }
                }
                done = true;
            }
            if (!done)
            {
                unplaced++;
            }
        }
        return unplaced;
    }

    /// <summary>One request's working state: the spread counts, checks and the placement step both loops share.</summary>
    private sealed class RequestState(
        AgentPool pool, AgentFit fit, ConstraintState constraints, Dictionary<int, int> spread, List<int> earlier, Random random, List<Placement> placed)
    {
        public AgentPool Pool => pool;

        public ConstraintState Constraints => constraints;

        /// <summary>Agent index to this app's instances on it.</summary>
        public Dictionary<int, int> Spread => spread;

        /// <summary>Spread rank: fewest instances of this app first, then most free cpus, then input order.</summary>
        public Rank Rank(int a) => new(spread.GetValueOrDefault(a), -pool.Free[a].Cpus, a);

        /// <summary>The checks that do not depend on this request's own placements.</summary>
        public bool Feasible(int a) => fit.StaticOk(a) && constraints.StaticOk(a) && fit.ResourcesFit(a);

        /// <summary>Places <paramref name="instance"/> on agent <paramref name="a"/>; returns whether it fits one more.</summary>
        public bool PlaceOn(int a, Instance instance, List<int>? released)
        {
            var ports = pool.TakePorts(a, fit.Ports, random);
            pool.Consume(a, fit.Need);
            constraints.Record(a, released);
            spread[a] = spread.GetValueOrDefault(a) + 1;
            earlier.Add(a);
            var agent = pool.Agents[a].Agent;
            placed.Add(new Placement(instance.Id, agent.Id, agent.Hostname, ports));
            return fit.ResourcesFit(a);
        }
    }

    /// <summary>An agent's rank for the next instance of a request (lower first).</summary>
    private readonly record struct Rank(int Count, double NegCpus, int Index) : IComparable<Rank>
    {
        public int CompareTo(Rank other) =>
            Count != other.Count ? Count.CompareTo(other.Count)
            : NegCpus != other.NegCpus ? NegCpus.CompareTo(other.NegCpus)
            : Index.CompareTo(other.Index);
    }

    /// <summary>Placed and not lost: Provisioned, Staging, Starting, Running, Killing.</summary>
    private static bool Occupies(Condition c) => c.IsActive() && c != Condition.Unreachable;
}
