using Harrier.Agent.Launch.Networks;
using Harrier.Core.Networks;
using Harrier.Networking;
using Harrier.Testing;
using Xunit;

namespace Harrier.Agent.Tests.Launch.Networks;

/// <summary>
/// An agent killed in the middle of a task's network setup leaves a namespace, a veth, an address and a port mapping
/// that no checkpointed task owns; the start-up reconciliation removes all of them and keeps a live task's. Runs on real
/// devices inside a namespace the test makes (the agent's "host").
/// </summary>
public sealed class NetworkReconcilerTests : IAsyncLifetime
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly string _state = Path.Combine(Path.GetTempPath(), "harrier-reconcile-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string> _namespaces = [];

    private string HostNs => "hnr-host-" + _id;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in _namespaces.Concat(NetworkNamespaces.List(LinkNames.NamespacePrefix("agent-" + _id))))
        {
            await NetworkNamespaces.DeleteAsync(ns);
        }
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public async Task ReconcileAsync_SetupCutShortByACrash_LeavesNothingOfItAndKeepsTheLiveTask()
    {
        if ((Requirements.Root() ?? Requirements.Binary("nft") ?? Requirements.Binary("ip")) is { } missing)
        {
            Assert.Skip(missing);
        }
        await NetworkNamespaces.CreateAsync(HostNs, CancellationToken.None);
        _namespaces.Add(HostNs);
        var agent = "agent-" + _id;
        var host = new HostNamespace(HostNs);
        using var networks = new AgentNetworks(_state, Ipv4Cidr.Parse("172.31.251.0/24"), host, bridgeDevice: "hrbr" + _id[..4]);
        var step = new NetworkStep(agent, [new BridgeMode(networks)]);
        var bridge = await networks.EnsureBridgeAsync(CancellationToken.None);

        // A live task, fully set up, and a dead one whose setup the crash cut short after its mapping.
        var live = await SetUpAsync(agent, "live-task", 31000);
        var dead = await SetUpAsync(agent, "dead-task", 31001);

        await NetworkReconciler.ReconcileAsync(step, networks, ["live-task"], CancellationToken.None);

        Assert.False(NetworkNamespaces.Exists(LinkNames.Namespace(agent, "dead-task")));
        Assert.False(await host.LinkExistsAsync(LinkNames.HostVeth("dead-task", 0)));
        Assert.Null(bridge.Addresses.Find("dead-task"));
        var mappings = await networks.Nat.ListAsync();
        Assert.DoesNotContain(mappings, m => m.Address.Equals(dead));
        Assert.True(NetworkNamespaces.Exists(LinkNames.Namespace(agent, "live-task")));
        Assert.True(await host.LinkExistsAsync(LinkNames.HostVeth("live-task", 0)));
        Assert.Equal(live, bridge.Addresses.Find("live-task"));
        Assert.Contains(mappings, m => m.Address.Equals(live) && m.HostPort == 31000);

        async Task<System.Net.IPAddress> SetUpAsync(string scope, string owner, int hostPort)
        {
            var ns = LinkNames.Namespace(scope, owner);
            await NetworkNamespaces.CreateAsync(ns, CancellationToken.None);
            var address = await bridge.AttachAsync(owner, ns, "eth0", LinkNames.HostVeth(owner, 0), true, [], CancellationToken.None);
            await networks.Nat.AddAsync([new PortMapEntry("tcp", hostPort, address, 8080)]);
            return address;
        }
    }
}
