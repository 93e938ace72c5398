using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Resources;
using Harrier.Protocol;
using Xunit;

namespace Harrier.Server.Tests;

/// <summary>
/// Apps on named networks through the real control loop: launched only on agents that offer the network, waiting with
/// a <c>NetworkUnavailable</c> reason naming it when none does, and anywhere for a network the server says every agent
/// has (<see cref="ServerOptions.IsClusterNetwork"/>).
/// </summary>
public sealed class NamedNetworkPlacementTests
{
    private static FakeAgent Agent(TestCluster cluster, string id, params string[] networks) => new(cluster.Gateway, id, hostname: id)
    {
        Info = new AgentInfo { Id = new AgentId(id), Hostname = id, Resources = new ResourceVector(8, 16384, 100_000), Networks = new ValueList<string>(networks) },
    };

    private static AppSpec App(string id, string network, int instances) => TestCluster.App(id, instances) with
    {
        Networks = new[] { new NetworkSpec(NetworkMode.Container, network) },
        Container = new ContainerSpec { Type = ContainerType.Mesos },
        PortDefinitions = ValueList<PortDefinition>.Empty,
    };

    [Fact]
    public async Task Deploy_NamedNetwork_LaunchesOnlyOnAgentsOfferingIt()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var plain = Agent(cluster, "plain");
        await using var cni = Agent(cluster, "cni", "macnet");
        await plain.StartAsync();
        await cni.StartAsync();

        await cluster.DeployAsync(App("/web", "macnet", 3));

        await cluster.WaitForRunningAsync("/web", 3);
        Assert.All(cluster.InstancesOf("/web"), i => Assert.Equal("cni", i.AgentId!.Value.Value));
        Assert.Empty(plain.Received.OfType<LaunchTaskCommand>());
    }

    [Fact]
    public async Task Deploy_NetworkNoAgentOffers_WaitsWithAReasonNamingIt()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var plain = Agent(cluster, "plain", "other");
        await plain.StartAsync();

        await cluster.DeployAsync(App("/web", "macnet", 1));

        var reason = await Harrier.Testing.Eventually.WaitAsync(
            () => Task.FromResult(cluster.Snapshot.QueueReasons.GetValueOrDefault(PathId.Parse("/web"))), TimeSpan.FromSeconds(10), "a queue reason");
        Assert.Equal("NetworkUnavailable", reason!.Type);
        Assert.Equal("no agent offers network 'macnet'", reason.Message);
        Assert.Equal("macnet", reason.Details["networks"]);
        Assert.Empty(plain.Received.OfType<LaunchTaskCommand>());
    }

    [Fact]
    public async Task Deploy_ClusterNetwork_LaunchesOnAnyAgent()
    {
        await using var cluster = await TestCluster.StartAsync(options: new ServerOptions
        {
            ReconcileInterval = TimeSpan.FromMilliseconds(20),
            RandomSeed = 7,
            IsClusterNetwork = n => n == "dcos",
        });
        await using var plain = Agent(cluster, "plain");
        await plain.StartAsync();

        await cluster.DeployAsync(App("/web", "dcos", 2));

        await cluster.WaitForRunningAsync("/web", 2);
    }
}
