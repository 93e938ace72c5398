using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Xunit;

namespace Harrier.Scheduling.Tests;

/// <summary>An app on a named network goes only to agents offering it, unless the network is cluster-wide (an overlay).</summary>
public sealed class PlacerNetworkTests
{
    private static AgentCapacity Agent(string id, params string[] networks) => new(
        new AgentInfo
        {
            Id = new AgentId(id),
            Hostname = id,
            Resources = new ResourceVector(4, 4096, 10_000, 0),
            Networks = new ValueList<string>(networks),
        },
        ResourceVector.Zero,
        new HashSet<int>(),
        false);

    private static AppSpec App(params string[] networks) => new()
    {
        Id = PathId.Parse("/n"),
        Cpus = 0.1,
        Mem = 16,
        Networks = new ValueList<NetworkSpec>([.. networks.Select(n => new NetworkSpec(NetworkMode.Container, n))]),
        Container = new ContainerSpec { Type = ContainerType.Mesos },
    };

    private static Instance Scheduled(AppSpec app, int n) => new()
    {
        Id = InstanceId.For(app.Id, new Guid(n, 0, 0, new byte[8])),
        RunSpecId = app.Id,
        RunSpecVersion = Timestamp.Zero,
        Since = Timestamp.Zero,
    };

    private static PlacementResult Place(AppSpec app, Func<string, bool>? isClusterNetwork, params AgentCapacity[] agents) =>
        Placer.PlaceEach([.. agents], [new PlacementRequest(app, [.. Enumerable.Range(1, 4).Select(n => Scheduled(app, n))], [])], new Random(1),
            isClusterNetwork: isClusterNetwork)[0];

    [Fact]
    public void PlaceEach_NamedNetwork_OnlyOnAgentsOfferingIt()
    {
        var result = Place(App("macnet"), null, Agent("plain"), Agent("cni", "macnet"), Agent("other", "ipnet"));

        Assert.Equal(4, result.Placed.Count);
        Assert.All(result.Placed, p => Assert.Equal("cni", p.Agent.Value));
    }

    [Fact]
    public void PlaceEach_TwoNamedNetworks_OnlyOnAgentsOfferingBoth()
    {
        var result = Place(App("a", "b"), null, Agent("a-only", "a"), Agent("both", "b", "a"));

        Assert.All(result.Placed, p => Assert.Equal("both", p.Agent.Value));
    }

    [Fact]
    public void PlaceEach_NoAgentOffersIt_SaysNetworkUnavailable()
    {
        var result = Place(App("macnet"), null, Agent("plain"), Agent("other", "ipnet"));

        Assert.Empty(result.Placed);
        Assert.Equal(8, result.RejectReasons[RejectReason.NetworkUnavailable]);
    }

    [Fact]
    public void PlaceEach_ClusterNetwork_AnyAgent()
    {
        var result = Place(App("dcos"), n => n == "dcos", Agent("plain"), Agent("cni", "macnet"));

        Assert.Equal(4, result.Placed.Count);
        Assert.Equal(2, result.Placed.Select(p => p.Agent).Distinct().Count());
    }

    [Fact]
    public void PlaceEach_BridgeOrHost_NotNetworkBound()
    {
        var bridge = App() with { Networks = new[] { new NetworkSpec(NetworkMode.ContainerBridge) } };

        Assert.Equal(4, Place(bridge, null, Agent("plain")).Placed.Count);
        Assert.Equal(4, Place(App() with { Networks = new[] { NetworkSpec.Host } }, null, Agent("plain")).Placed.Count);
    }

    [Fact]
    public void Slots_NamedNetwork_CountsOnlyAgentsOfferingIt()
    {
        var app = App("macnet") with { Constraints = new[] { new ConstraintSpec("hostname", "UNIQUE") } };

        Assert.Equal(1, PlacementCapacity.Slots([Agent("a"), Agent("b", "macnet"), Agent("c")], app, [], 3));
        Assert.Equal(3, PlacementCapacity.Slots([Agent("a"), Agent("b"), Agent("c")], App("dcos") with { Constraints = app.Constraints }, [], 3, isClusterNetwork: n => n == "dcos"));
    }
}
