using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class PlacerConstraintTests
{
    private static readonly AgentInfo[] Racks =
    [
        Agent("a1", rack: "r1"), Agent("a2", rack: "r1"), Agent("a3", rack: "r2"), Agent("a4", rack: "r2"),
        Agent("a5", rack: "r3"), Agent("a6", rack: "r3"),
    ];

    private static PlacementResult Place(AppSpec app, int count, IEnumerable<AgentInfo> agents, params Instance[] existing) =>
        Placer.Place([.. agents.Select(a => Capacity(a))], [new PlacementRequest(app, Scheduled(app.Id.Value, count), existing)], new Random(3));

    private static AppSpec With(int instances, params ConstraintSpec[] constraints) => App(instances: instances).WithConstraints(constraints);

    private static Dictionary<string, int> PerRack(PlacementResult result) =>
        result.Placed.GroupBy(p => Racks.Single(a => a.Id == p.Agent).Attributes["rack"]).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void Unique_FiveInstancesOnThreeAgents_ThreePlacedRestRejected()
    {
        var agents = Racks.Take(3);

        var result = Place(With(5, new ConstraintSpec("hostname", "UNIQUE")), 5, agents);

        Assert.Equal(3, result.Placed.Select(p => p.Agent).Distinct().Count());
        Assert.Equal(3, result.Placed.Count);
        // Two unplaced instances, each rejected by all three agents.
        Assert.Equal(new Dictionary<string, int> { [RejectReason.UnfulfilledConstraint] = 6 }, result.RejectReasons);
        // Which constraint excluded how many agents, once per agent.
        Assert.Equal(new Dictionary<string, int> { ["hostname:UNIQUE"] = 3 }, result.ConstraintRejects);
    }

    [Fact]
    public void CombinedConstraints_EachExcludingOneIsNamedWithItsAgentCount()
    {
        // a1, a2 on r1, a3 on r2: CLUSTER r1 excludes one agent, the LIKE all three.
        var result = Place(With(1, new ConstraintSpec("rack", "CLUSTER", "r1"), new ConstraintSpec("hostname", "LIKE", "nomatch")), 1, Racks.Take(3));

        Assert.Empty(result.Placed);
        Assert.Equal(1, result.ConstraintRejects["rack:CLUSTER:r1"]);
        Assert.Equal(3, result.ConstraintRejects["hostname:LIKE:nomatch"]);
    }

    [Fact]
    public void Unique_CountsExistingCurrentInstancesOnly()
    {
        var agents = Racks.Take(2).ToArray();
        var app = With(3, new ConstraintSpec("@hostname", "UNIQUE")) with { VersionInfo = new VersionInfo(At(10), At(10), At(10)) };
        var current = Instance("/app", 90, Condition.Running, agents[0], version: At(10));
        var old = Instance("/app", 91, Condition.Running, agents[1], version: At(1));

        var result = Place(app, 1, agents, current, old);

        Assert.Equal("a2", Assert.Single(result.Placed).Agent.Value);
    }

    [Fact]
    public void Unique_IgnoresLostAndDecommissionedInstances()
    {
        var agents = Racks.Take(1).ToArray();
        var lost = Instance("/app", 90, Condition.Unreachable, agents[0]);
        var gone = Instance("/app", 91, Condition.Running, agents[0], goal: Goal.Decommissioned);

        var result = Place(With(1, new ConstraintSpec("hostname", "UNIQUE")), 1, agents, lost, gone);

        Assert.Single(result.Placed);
    }

    [Fact]
    public void Unique_OnAttribute_OnePerRack()
    {
        var result = Place(With(4, new ConstraintSpec("rack", "UNIQUE")), 4, Racks);

        Assert.Equal(3, result.Placed.Count);
        Assert.All(PerRack(result).Values, c => Assert.Equal(1, c));
    }

    [Fact]
    public void ClusterWithValue_OnlyThatRack()
    {
        var result = Place(With(4, new ConstraintSpec("rack", "CLUSTER", "r2")), 4, Racks);

        Assert.Equal(new Dictionary<string, int> { ["r2"] = 4 }, PerRack(result));
    }

    [Fact]
    public void ClusterWithoutValue_AllOnOneRack()
    {
        var result = Place(With(5, new ConstraintSpec("rack", "CLUSTER")), 5, Racks);

        Assert.Single(PerRack(result));
        Assert.Equal(5, result.Placed.Count);
    }

    [Fact]
    public void ClusterWithoutValue_FollowsFirstExistingInstance()
    {
        var existing = Instance("/app", 90, Condition.Running, Racks[4]);

        var result = Place(With(3, new ConstraintSpec("rack", "CLUSTER")), 2, Racks, existing);

        Assert.Equal(new Dictionary<string, int> { ["r3"] = 2 }, PerRack(result));
    }

    [Fact]
    public void GroupBy_SixOnThreeRacks_TwoPerRack()
    {
        var result = Place(With(6, new ConstraintSpec("rack", "GROUP_BY", "3")), 6, Racks);

        Assert.Equal(new Dictionary<string, int> { ["r1"] = 2, ["r2"] = 2, ["r3"] = 2 }, PerRack(result));
    }

    [Fact]
    public void GroupBy_QuotaAllowsRemainderGroupsOneMore()
    {
        // N=7, n=3: two per rack, and one rack may hold three.
        var result = Place(With(7, new ConstraintSpec("rack", "GROUP_BY", "3")), 7, Racks);

        Assert.Equal([2, 2, 3], PerRack(result).Values.Order());
    }

    [Fact]
    public void GroupBy_FewerRacksThanGroups_CapsAtQuota()
    {
        var result = Place(With(6, new ConstraintSpec("rack", "GROUP_BY", "3")), 6, Racks.Take(4));

        Assert.Equal(4, result.Placed.Count);
        Assert.Equal(2, result.RejectReasons[RejectReason.UnfulfilledConstraint] / 4);
    }

    [Fact]
    public void GroupBy_WithoutValue_KeepsGroupsBalanced()
    {
        var result = Place(With(6, new ConstraintSpec("rack", "GROUP_BY")), 6, Racks);

        Assert.Equal([2, 2, 2], PerRack(result).Values);
    }

    [Fact]
    public void GroupBy_WithoutValue_EveryPlacementGoesToANewOrALeastPopulatedGroup()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var (agents, app, existing, count) = RandomGroupByCase(seed);
            var rackOf = agents.ToDictionary(a => a.Agent.Id, a => a.Agent.Attributes.TryGetValue("rack", out var r) ? r : null);

            var result = Placer.Place(agents, [new PlacementRequest(app, Scheduled(app.Id.Value, count), existing)], new Random(seed));

            var perRack = existing.GroupBy(i => rackOf[i.AgentId!.Value]!).ToDictionary(g => g.Key, g => g.Count());
            foreach (var placement in result.Placed)
            {
                var rack = rackOf[placement.Agent];
                Assert.NotNull(rack);
                var n = perRack.GetValueOrDefault(rack);
                var least = perRack.Count == 0 ? 0 : perRack.Values.Min();
                Assert.True(n == 0 || n == least, $"seed {seed}: {placement.Agent} in {rack} holding {n}, least {least}");
                perRack[rack] = n + 1;
            }
        }
    }

    [Fact]
    public void GroupBy_WithoutValue_GroupLoopPlacesLikeTheGeneralLoop()
    {
        // One GROUP_BY without a value takes the placer's per-group loop; the same rule twice (same meaning) takes the
        // general one. Both must choose the same agents in the same order, and report the same reasons.
        var placedSome = 0;
        for (var seed = 0; seed < 300; seed++)
        {
            var (agents, app, existing, count) = RandomGroupByCase(seed);
            var twice = app.WithConstraints([.. app.Constraints, new ConstraintSpec("rack", "GROUP_BY")]);

            var byGroup = Placer.Place(agents, [new PlacementRequest(app, Scheduled(app.Id.Value, count), existing)], new Random(seed));
            var general = Placer.Place(agents, [new PlacementRequest(twice, Scheduled(app.Id.Value, count), existing)], new Random(seed));

            Assert.Equal(general.Placed.Select(p => (p.Instance, p.Agent)), byGroup.Placed.Select(p => (p.Instance, p.Agent)));
            Assert.Equal(general.RejectReasons.OrderBy(r => r.Key), byGroup.RejectReasons.OrderBy(r => r.Key));
            placedSome += byGroup.Placed.Count > 0 && byGroup.Placed.Count < count ? 1 : 0;
        }
        Assert.True(placedSome > 20, $"only {placedSome} cases placed some but not all instances");
    }

    /// <summary>
    /// Agents over a few racks (some without one, some draining, little cpu so they fill up), running instances of
    /// the app, and an app with GROUP_BY rack plus, now and then, a per-host limit.
    /// </summary>
    private static (List<AgentCapacity> Agents, AppSpec App, Instance[] Existing, int Count) RandomGroupByCase(int seed)
    {
        var rng = new Random(seed);
        var racks = rng.Next(1, 7);
        var agents = Enumerable.Range(0, rng.Next(1, 40)).Select(i => Capacity(
            Agent($"a{i:D2}", cpus: 0.1 * rng.Next(1, 6), rack: rng.Next(10) == 0 ? null : $"r{rng.Next(racks)}"),
            used: new ResourceVector(0.1 * rng.Next(0, 2), 0, 0),
            draining: rng.Next(15) == 0)).ToList();
        var extra = rng.Next(4) switch
        {
            0 => new[] { new ConstraintSpec("hostname", "MAX_PER", "2") },
            1 => [new ConstraintSpec("hostname", "UNIQUE")],
            _ => [],
        };
        var count = rng.Next(1, 30);
        var app = App(instances: count, cpus: 0.1).WithConstraints([new ConstraintSpec("rack", "GROUP_BY"), .. extra]);
        var racked = agents.Where(a => a.Agent.Attributes.ContainsKey("rack")).ToList();
        var existing = racked.Count == 0 ? [] : Enumerable.Range(0, rng.Next(0, 6))
            .Select(n => Instance(app.Id.Value, 1000 + n, Condition.Running, racked[rng.Next(racked.Count)].Agent)).ToArray();
        return (agents, app, existing, count);
    }

    [Fact]
    public void Like_FullMatchOnly()
    {
        var result = Place(With(4, new ConstraintSpec("rack", "LIKE", "r[12]")), 4, Racks);

        Assert.DoesNotContain("r3", PerRack(result).Keys);
        Assert.Equal(4, result.Placed.Count);
        Assert.Empty(Place(With(1, new ConstraintSpec("rack", "LIKE", "r")), 1, Racks).Placed);
    }

    [Fact]
    public void Unlike_AcceptsMissingAttribute()
    {
        var noRack = Agent("bare");
        var agents = Racks.Append(noRack).ToArray();

        var result = Place(With(7, new ConstraintSpec("rack", "UNLIKE", "r1|r2")), 7, agents);

        Assert.Equal(["a5", "a6", "bare"], result.Placed.Select(p => p.Agent.Value).Distinct().Order());
    }

    [Fact]
    public void MissingAttribute_RejectsEveryOtherOperator()
    {
        var bare = new[] { Agent("bare") };
        foreach (var c in new[] { new ConstraintSpec("rack", "UNIQUE"), new ConstraintSpec("rack", "CLUSTER"), new ConstraintSpec("rack", "LIKE", ".*"),
                     new ConstraintSpec("rack", "GROUP_BY", "2"), new ConstraintSpec("rack", "MAX_PER", "2"), new ConstraintSpec("rack", "IS", "x") })
        {
            var result = Place(With(1, c), 1, bare);
            Assert.Empty(result.Placed);
            Assert.Equal(1, result.RejectReasons[RejectReason.UnfulfilledConstraint]);
        }
    }

    [Fact]
    public void MaxPer_LimitsPerValue()
    {
        var result = Place(With(10, new ConstraintSpec("rack", "MAX_PER", "2")), 10, Racks);

        Assert.Equal(6, result.Placed.Count);
        Assert.All(PerRack(result).Values, c => Assert.Equal(2, c));
    }

    [Fact]
    public void Is_MatchesExactValueAndNormalizesScalars()
    {
        var agents = new[]
        {
            Agent("a1") with { Attributes = new ValueMap<string>([new("size", "2.50")]) },
            Agent("a2") with { Attributes = new ValueMap<string>([new("size", "3")]) },
        };

        var result = Place(With(2, new ConstraintSpec("size", "IS", "2.5")), 2, agents);

        Assert.All(result.Placed, p => Assert.Equal("a1", p.Agent.Value));
        Assert.Equal(2, result.Placed.Count);
    }

    [Fact]
    public void ZoneAndRegionFields_ReadFaultDomain()
    {
        var agents = new[] { Agent("a1", region: "eu", zone: "eu-1"), Agent("a2", region: "eu", zone: "eu-2") };

        var result = Place(With(2, new ConstraintSpec("@zone", "IS", "eu-2"), new ConstraintSpec("@region", "LIKE", "e.")), 2, agents);

        Assert.All(result.Placed, p => Assert.Equal("a2", p.Agent.Value));
    }

    [Fact]
    public void InvalidRegex_RejectsEverything()
    {
        var result = Place(With(1, new ConstraintSpec("rack", "LIKE", "(")), 1, Racks);

        Assert.Empty(result.Placed);
    }
}
