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
/// new rank if it still fits. Cost per request: O(A + k·log A) for A agents and k instances, plus O(A) once when some
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
    public static PlacementResult Place(
        IReadOnlyList<AgentCapacity> agents, IReadOnlyList<PlacementRequest> requests, Random random, string? localRegion = null)
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
            PlaceRequest(pool, request, random, localRegion, placed, reasons, placedByApp, constraintRejects);
        }
        return new PlacementResult(placed, reasons) { ConstraintRejects = constraintRejects };
    }

    /// <summary>
    /// <see cref="Place"/> with one result per request (same order): the agents are prepared once for all of them,
    /// and each request sees what the earlier ones consumed. What a control pass with many apps to launch calls.
    /// </summary>
    public static IReadOnlyList<PlacementResult> PlaceEach(
        IReadOnlyList<AgentCapacity> agents, IReadOnlyList<PlacementRequest> requests, Random random, string? localRegion = null)
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
            PlaceRequest(pool, request, random, localRegion, placed, reasons, placedByApp, constraintRejects);
            results.Add(new PlacementResult(placed, reasons) { ConstraintRejects = constraintRejects });
        }
        return results;
    }

    private static void PlaceRequest(
        AgentPool pool,
        PlacementRequest request,
        Random random,
        string? localRegion,
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
        var fit = new AgentFit(app, pool, localRegion);
        var toPlace = request.ToPlace.Select(i => i.Id).ToHashSet();
        var configVersion = app.VersionInfo.LastConfigChangeAt;

        var spread = new Dictionary<int, int>();
        var counted = new List<int>();
        foreach (var existing in request.Existing)
        {
            if (toPlace.Contains(existing.Id) || existing.Goal != Goal.Running || !Occupies(existing.Condition)
                || existing.AgentId is not { } agentId || !pool.IndexOf.TryGetValue(agentId, out var index))
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

        (int Count, double NegCpus, int Index) Rank(int a) => (spread.GetValueOrDefault(a), -pool.Free[a].Cpus, a);
        bool Feasible(int a) => fit.StaticOk(a) && constraints.StaticOk(a) && fit.ResourcesFit(a);

        // Agents already running this app rank by count; all others (count 0) come lazily from a heap by free cpus,
        // so a request pays O(A) once to heapify and O(log A) per agent it actually looks at.
        var heap = new PriorityQueue<int, (int Count, double NegCpus, int Index)>(
            spread.Keys.Where(Feasible).Select(a => (a, Rank(a))));
        pool.ResetFresh(spread.ContainsKey);
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
                if (Feasible(a))
                {
                    freshNext = a;
                }
            }
            return freshNext;
        }

        var parked = new List<int>();
        var unplaced = 0;
        foreach (var instance in request.ToPlace)
        {
            var done = false;
            while (!done)
            {
                while (heap.TryPeek(out var top, out var topRank) && topRank != Rank(top))
                {
                    heap.Dequeue(); // stale: the agent was re-queued with its newer rank
                }
                int a;
                var candidate = NextFresh();
                if (candidate is { } f && (!heap.TryPeek(out _, out var best) || Rank(f).CompareTo(best) < 0))
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
                    if (!constraints.IsMonotone)
                    {
                        parked.Add(a);
                    }
                    continue;
                }
                var ports = pool.TakePorts(a, fit.Ports, random);
                pool.Consume(a, fit.Need);
                constraints.Record(a);
                spread[a] = spread.GetValueOrDefault(a) + 1;
                earlier.Add(a);
                var agent = pool.Agents[a].Agent;
                placed.Add(new Placement(instance.Id, agent.Id, agent.Hostname, ports));
                if (fit.ResourcesFit(a))
                {
                    heap.Enqueue(a, Rank(a));
                }
                foreach (var p in parked)
                {
                    heap.Enqueue(p, Rank(p));
                }
                parked.Clear();
                done = true;
            }
            if (!done)
            {
                unplaced++;
            }
        }

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

    /// <summary>Placed and not lost: Provisioned, Staging, Starting, Running, Killing.</summary>
    private static bool Occupies(Condition c) => c.IsActive() && c != Condition.Unreachable;
}
