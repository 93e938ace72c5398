using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class PlacerTests
{
    private static PlacementResult Place(AppSpec app, int count, params AgentCapacity[] agents) =>
        Placer.Place(agents, [new PlacementRequest(app, Scheduled(app.Id.Value, count), [])], new Random(42));

    [Fact]
    public void Place_SpreadsInstancesOverAgents()
    {
        var result = Place(App(instances: 4), 4, Capacity(Agent("a1")), Capacity(Agent("a2")));

        Assert.Equal(4, result.Placed.Count);
        Assert.Equal(2, result.Placed.Count(p => p.Agent.Value == "a1"));
        Assert.Empty(result.RejectReasons);
    }

    [Fact]
    public void Place_PrefersAgentWithMostFreeCpu()
    {
        var result = Place(App(), 1, Capacity(Agent("a1", cpus: 2)), Capacity(Agent("a2", cpus: 8)));

        Assert.Equal("a2", Assert.Single(result.Placed).Agent.Value);
        Assert.Equal("a2.example", result.Placed[0].Hostname);
    }

    [Fact]
    public void Place_PrefersAgentWithFewerInstancesOfTheApp()
    {
        var a1 = Agent("a1", cpus: 8);
        var app = App(instances: 2);
        var existing = Instance("/app", 100, Condition.Running, a1);

        var result = Placer.Place([Capacity(a1), Capacity(Agent("a2", cpus: 2))],
            [new PlacementRequest(app, Scheduled("/app", 1), [existing])], new Random(1));

        Assert.Equal("a2", Assert.Single(result.Placed).Agent.Value);
    }

    [Fact]
    public void Place_AccountsForResourcesUsedEarlierInTheSameCall()
    {
        var app = App(cpus: 1, mem: 100);
        var result = Placer.Place([Capacity(Agent("a1", cpus: 3.5))],
            [new PlacementRequest(app, Scheduled("/app", 2), []), new PlacementRequest(App("/b", cpus: 1), Scheduled("/b", 2), [])],
            new Random(1));

        Assert.Equal(2, result.Placed.Count(p => p.Instance.Value.StartsWith("app.", StringComparison.Ordinal)));
        Assert.Single(result.Placed, p => p.Instance.Value.StartsWith("b.", StringComparison.Ordinal));
        Assert.Equal(1, result.RejectReasons[RejectReason.InsufficientCpus]);
    }

    [Fact]
    public void PlaceEach_SecondAppSeesWhatTheFirstTook_ReasonsKeptPerApp()
    {
        var results = Placer.PlaceEach([Capacity(Agent("a1", cpus: 3.5))],
            [new PlacementRequest(App(cpus: 1, mem: 100), Scheduled("/app", 2), []), new PlacementRequest(App("/b", cpus: 1), Scheduled("/b", 2), [])],
            new Random(1));

        Assert.Equal(2, results.Count);
        Assert.Equal(2, results[0].Placed.Count);
        Assert.Empty(results[0].RejectReasons);
        Assert.Single(results[1].Placed);
        Assert.Equal(1, results[1].RejectReasons[RejectReason.InsufficientCpus]);
    }

    [Fact]
    public void PlaceEach_HostPortsOfDifferentApps_NeverCollideOnAnAgent()
    {
        var agent = Agent("a1", cpus: 8);
        var results = Placer.PlaceEach([Capacity(agent)],
            [new PlacementRequest(App("/x").WithPorts(0, 0), Scheduled("/x", 3), []), new PlacementRequest(App("/y").WithPorts(0), Scheduled("/y", 3), [])],
            new Random(7));

        var ports = results.SelectMany(r => r.Placed).SelectMany(p => p.HostPorts).ToList();
        Assert.Equal(9, ports.Count);
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Theory]
    [InlineData(8, 64, 10, 0, RejectReason.InsufficientCpus)]
    [InlineData(0.1, 99999, 10, 0, RejectReason.InsufficientMemory)]
    [InlineData(0.1, 64, 99999, 0, RejectReason.InsufficientDisk)]
    [InlineData(0.1, 64, 10, 1, RejectReason.InsufficientGpus)]
    public void Place_InsufficientResources_RejectsWithReason(double cpus, double mem, double disk, int gpus, string reason)
    {
        var app = App(cpus: cpus, mem: mem) with { Disk = disk, Gpus = gpus };

        var result = Place(app, 1, Capacity(Agent("a1")), Capacity(Agent("a2")));

        Assert.Empty(result.Placed);
        Assert.Equal(new Dictionary<string, int> { [reason] = 2 }, result.RejectReasons);
    }

    [Fact]
    public void Place_UsedResourcesOfAgent_AreRespected()
    {
        var result = Place(App(cpus: 1), 1, Capacity(Agent("a1", cpus: 4), used: new ResourceVector(3.5, 0, 0)));

        Assert.Empty(result.Placed);
        Assert.Equal(1, result.RejectReasons[RejectReason.InsufficientCpus]);
    }

    [Fact]
    public void Place_DrainingAgent_GetsNothing()
    {
        var result = Place(App(), 1, Capacity(Agent("a1"), draining: true));

        Assert.Empty(result.Placed);
        Assert.Equal(1, result.RejectReasons[RejectReason.AgentMaintenance]);
    }

    [Fact]
    public void Place_Roles_DefaultAcceptsUnreservedAndOwnRole()
    {
        var agents = new[] { Capacity(Agent("a1", role: "other")), Capacity(Agent("a2", role: "*")) };

        var result = Place(App(instances: 2), 2, agents);

        Assert.All(result.Placed, p => Assert.Equal("a2", p.Agent.Value));
        Assert.Empty(result.RejectReasons);
    }

    [Fact]
    public void Place_AcceptedResourceRoles_OnlyThoseRoles()
    {
        var app = App() with { Role = "prod", AcceptedResourceRoles = new ValueList<string>(["prod"]) };

        var result = Place(app, 2, Capacity(Agent("a1", role: "prod")), Capacity(Agent("a2")));

        Assert.All(result.Placed, p => Assert.Equal("a1", p.Agent.Value));
        Assert.Equal(2, result.Placed.Count);
    }

    [Fact]
    public void Place_NoAgentWithRole_RejectsUnfulfilledRole()
    {
        var app = App() with { Role = "prod", AcceptedResourceRoles = new ValueList<string>(["prod"]) };

        var result = Place(app, 3, Capacity(Agent("a1")));

        Assert.Equal(new Dictionary<string, int> { [RejectReason.UnfulfilledRole] = 3 }, result.RejectReasons);
    }

    [Fact]
    public void Place_LocalRegion_OnlyWithoutFaultDomainConstraint()
    {
        AgentCapacity[] agents = [Capacity(Agent("a1", region: "remote")), Capacity(Agent("a2", region: "home"))];
        var request = new PlacementRequest(App(), Scheduled("/app", 1), []);
        var constrained = App() with { Constraints = new[] { new ConstraintSpec("@region", "IS", "remote") } };

        var local = Placer.Place(agents, [request], new Random(1), localRegion: "home");
        var remote = Placer.Place(agents, [request with { App = constrained }], new Random(1), localRegion: "home");

        Assert.Equal("a2", Assert.Single(local.Placed).Agent.Value);
        Assert.Equal("a1", Assert.Single(remote.Placed).Agent.Value);
    }

    [Fact]
    public void Place_SameSeed_SameResult()
    {
        var app = App(instances: 20).WithPorts(0, 0);
        AgentCapacity[] agents = [.. Enumerable.Range(0, 5).Select(i => Capacity(Agent("a" + i)))];
        var requests = new[] { new PlacementRequest(app, Scheduled("/app", 20), []) };

        var first = Placer.Place(agents, requests, new Random(7));
        var second = Placer.Place(agents, requests, new Random(7));

        Assert.Equal(first.Placed.Select(p => (p.Instance, p.Agent, string.Join(",", p.HostPorts))),
            second.Placed.Select(p => (p.Instance, p.Agent, string.Join(",", p.HostPorts))));
    }

    [Fact]
    public void Place_DoesNotMutateInputs()
    {
        var used = new HashSet<int> { 31000 };
        var capacity = Capacity(Agent("a1", portBegin: 31000, portEnd: 31002), usedPorts: used);

        Placer.Place([capacity], [new PlacementRequest(App(instances: 2).WithPorts(0), Scheduled("/app", 2), [])], new Random(1));

        Assert.Equal([31000], used);
        Assert.Equal(ResourceVector.Zero, capacity.Used);
    }
}
