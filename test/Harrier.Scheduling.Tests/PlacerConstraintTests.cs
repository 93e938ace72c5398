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
