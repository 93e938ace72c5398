using Harrier.Core.Apps;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class PlacementCapacityTests
{
    private static readonly AgentCapacity[] ThreeAgents =
        [.. Enumerable.Range(0, 3).Select(i => Capacity(Agent($"a{i}", cpus: 4, mem: 4096)))];

    [Fact]
    public void Slots_ByResources_CountsWhatFitsOnEveryAgent()
    {
        var app = App("/web", 1, cpus: 1, mem: 100);

        Assert.Equal(12, PlacementCapacity.Slots(ThreeAgents, app, [], upTo: 100));
    }

    [Fact]
    public void Slots_StopsAtUpTo()
    {
        Assert.Equal(5, PlacementCapacity.Slots(ThreeAgents, App("/web", 1, cpus: 1, mem: 100), [], upTo: 5));
    }

    [Fact]
    public void Slots_HostnameUnique_OnePerAgentIncludingExisting()
    {
        var app = App("/web", 1, cpus: 1, mem: 100).WithConstraints(new ConstraintSpec("hostname", "UNIQUE"));
        var existing = Instance("/web", 1, Condition.Running, ThreeAgents[0].Agent);
        var agents = ThreeAgents.Select((c, i) => i == 0 ? c with { Used = new ResourceVector(1, 100, 0) } : c).ToArray();

        Assert.Equal(3, PlacementCapacity.Slots(ThreeAgents, app, [], upTo: 100));
        Assert.Equal(3, PlacementCapacity.Slots(agents, app, [existing], upTo: 100));
    }

    [Fact]
    public void Slots_HostnameMaxPer_LimitsPerAgent()
    {
        var app = App("/web", 1, cpus: 1, mem: 100).WithConstraints(new ConstraintSpec("hostname", "MAX_PER", "2"));

        Assert.Equal(6, PlacementCapacity.Slots(ThreeAgents, app, [], upTo: 100));
    }

    [Fact]
    public void Slots_PortsAndDraining_Count()
    {
        var agents = new[]
        {
            Capacity(Agent("a0", portBegin: 31000, portEnd: 31001)),
            Capacity(Agent("a1", portBegin: 31000, portEnd: 31000)),
            Capacity(Agent("a2"), draining: true),
        };
        var app = App("/web", 1, cpus: 0.1, mem: 10).WithPorts(0);

        Assert.Equal(3, PlacementCapacity.Slots(agents, app, [], upTo: 100));
    }

    [Fact]
    public void Slots_InstancesBeingKilled_StillHoldTheirPlace()
    {
        var app = App("/web", 1, cpus: 4, mem: 100);
        var agents = new[] { Capacity(Agent("a0"), new ResourceVector(4, 100, 0)) };
        var killing = Instance("/web", 1, Condition.Killing, agents[0].Agent, goal: Goal.Decommissioned);

        Assert.Equal(1, PlacementCapacity.Slots(agents, app, [killing], upTo: 10));
    }
}
