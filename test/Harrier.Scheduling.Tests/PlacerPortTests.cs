using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class PlacerPortTests
{
    private static PlacementResult Place(AppSpec app, int count, params AgentCapacity[] agents) =>
        Placer.Place(agents, [new PlacementRequest(app, Scheduled(app.Id.Value, count), [])], new Random(11));

    private static AppSpec Bridge(params PortMapping[] mappings) => App() with
    {
        Networks = new[] { new NetworkSpec(NetworkMode.ContainerBridge) },
        Container = new ContainerSpec { Docker = new DockerSpec { Image = "nginx" }, PortMappings = new ValueList<PortMapping>(mappings) },
    };

    [Fact]
    public void HostNetworking_RandomPortsWithinRange_DistinctPerAgent()
    {
        var result = Place(App(instances: 5).WithPorts(10000, 10001), 5, Capacity(Agent("a1", portBegin: 31000, portEnd: 31100)));

        Assert.Equal(5, result.Placed.Count);
        var all = result.Placed.SelectMany(p => p.HostPorts).ToArray();
        Assert.Equal(10, all.Length);
        Assert.All(all, p => Assert.InRange(p, 31000, 31100));
        Assert.Equal(all.Length, all.Distinct().Count());
    }

    [Fact]
    public void HostNetworking_RandomPortsAreNotAlwaysTheLowest()
    {
        var result = Place(App(instances: 3).WithPorts(0), 3, Capacity(Agent("a1", portBegin: 31000, portEnd: 32000)));

        Assert.NotEqual([31000, 31001, 31002], result.Placed.Select(p => p.HostPorts[0]).Order());
    }

    [Fact]
    public void RequirePorts_TakesExactPort()
    {
        var app = App().WithPorts(31005) with { RequirePorts = true };

        var result = Place(app, 1, Capacity(Agent("a1")));

        Assert.Equal([31005], Assert.Single(result.Placed).HostPorts);
    }

    [Fact]
    public void RequirePorts_SecondInstanceOnSameAgent_InsufficientPorts()
    {
        var app = App(instances: 2).WithPorts(31005) with { RequirePorts = true };

        var result = Place(app, 2, Capacity(Agent("a1")));

        Assert.Single(result.Placed);
        Assert.Equal(new Dictionary<string, int> { [RejectReason.InsufficientPorts] = 1 }, result.RejectReasons);
    }

    [Fact]
    public void RequirePorts_PortOutsideRangeOrUsed_InsufficientPorts()
    {
        var outside = App().WithPorts(80) with { RequirePorts = true };
        var used = App().WithPorts(31005) with { RequirePorts = true };

        Assert.Empty(Place(outside, 1, Capacity(Agent("a1"))).Placed);
        var result = Place(used, 1, Capacity(Agent("a1"), usedPorts: new HashSet<int> { 31005 }));
        Assert.Equal(1, result.RejectReasons[RejectReason.InsufficientPorts]);
    }

    [Fact]
    public void RandomPorts_AvoidUsedPorts_AndExhaust()
    {
        var agent = Capacity(Agent("a1", portBegin: 31000, portEnd: 31003), usedPorts: new HashSet<int> { 31000, 31002 });

        var result = Place(App(instances: 3).WithPorts(0), 3, agent);

        Assert.Equal([31001, 31003], result.Placed.Select(p => p.HostPorts[0]).Order());
        Assert.Equal(1, result.RejectReasons[RejectReason.InsufficientPorts]);
    }

    [Fact]
    public void Bridge_FixedAndRandomHostPorts_InDeclarationOrder()
    {
        var app = Bridge(new PortMapping(80, HostPort: 31010), new PortMapping(443), new PortMapping(8080, HostPort: 0));

        var placement = Assert.Single(Place(app, 1, Capacity(Agent("a1", portBegin: 31000, portEnd: 31020))).Placed);

        Assert.Equal(3, placement.HostPorts.Count);
        Assert.Equal(31010, placement.HostPorts[0]);
        Assert.All(placement.HostPorts.Skip(1), p => Assert.True(p is >= 31000 and <= 31020 and not 31010));
    }

    [Fact]
    public void ContainerNetwork_MissingHostPort_NeedsNoHostPort()
    {
        var app = Bridge(new PortMapping(80), new PortMapping(443, HostPort: 0)) with
        {
            Networks = new[] { new NetworkSpec(NetworkMode.Container, "dcos") },
        };

        // An agent offering the network (the placer sends named networks only there).
        var placement = Assert.Single(Place(app, 1, Capacity(Agent("a1") with { Networks = new[] { "dcos" } })).Placed);

        Assert.Single(placement.HostPorts);
    }

    [Fact]
    public void NoPorts_EmptyHostPorts()
    {
        var placement = Assert.Single(Place(App(), 1, Capacity(Agent("a1"))).Placed);

        Assert.Empty(placement.HostPorts);
    }
}
