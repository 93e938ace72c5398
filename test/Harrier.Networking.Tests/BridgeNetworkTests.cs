using Harrier.Core.Networks;
using Harrier.Networking;
using Harrier.Testing;
using Xunit;

namespace Harrier.Networking.Tests;

/// <summary>
/// The bridge and the NAT table for real, inside a namespace the test makes (its "host"): a task namespace joined by a
/// veth, a server in it reached through a mapped host port from the host's loopback and its own address, mappings
/// removed one by one, and a rebuild (an agent restart) keeping only what is still wanted.
/// </summary>
public sealed class BridgeNetworkTests : IAsyncLifetime
{
    private readonly NamespaceLab _lab = new("hnt");

    private string HostNs => _lab.HostNs;

    public async ValueTask InitializeAsync()
    {
        if (Requirements.Root() is null && Requirements.Binary("nft") is null && Requirements.Binary("ip") is null)
        {
            await _lab.NamespaceAsync("host");
        }
    }

    public ValueTask DisposeAsync() => _lab.DisposeAsync();

    private static void Require()
    {
        if ((Requirements.Root() ?? Requirements.Binary("nft") ?? Requirements.Binary("ip")
            ?? Requirements.Missing(File.Exists("/bin/busybox"), "busybox-static (/bin/busybox)")) is { } missing)
        {
            Assert.Skip(missing);
        }
    }

    [Fact]
    public async Task AttachAndMap_TaskServer_ReachableOnItsAddressAndTheMappedPortThenGone()
    {
        Require();
        var host = new HostNamespace(HostNs);
        var bridge = new BridgeNetwork(host, "hbr0", Ipv4Cidr.Parse("172.31.250.0/24"), 1500, new IpAllocator(Ipv4Cidr.Parse("172.31.250.0/24"), _lab.State));
        var nat = new NatTable(host);
        await bridge.EnsureAsync(CancellationToken.None);
        await bridge.EnsureAsync(CancellationToken.None); // idempotent: an agent restart adopts the bridge
        await nat.ReplaceAsync([bridge.Subnet], [], []);

        var task = await _lab.NamespaceAsync("task");
        var address = await bridge.AttachAsync("task-1", task, "eth0", "hvtest" + _lab.Id, defaultRoute: true, [], CancellationToken.None);
        Assert.Equal("172.31.250.2", address.ToString());
        _lab.StartServer(task, 8080, "task-1");
        var entry = new PortMapEntry("tcp", 31000, address, 8080);
        await nat.AddAsync([entry]);

        Assert.Contains("task-1", await NamespaceLab.GetAsync(HostNs, "http://172.31.250.2:8080/"), StringComparison.Ordinal);
        Assert.Contains("task-1", await NamespaceLab.GetAsync(HostNs, "http://127.0.0.1:31000/"), StringComparison.Ordinal);
        Assert.Equal([entry], await nat.ListAsync());

        // A restart's rebuild keeps what is still wanted (the filter decides), in one transaction.
        await nat.ReplaceAsync([bridge.Subnet], [], await nat.ListAsync());
        Assert.Equal([entry], await nat.ListAsync());
        Assert.Contains("task-1", await NamespaceLab.GetAsync(HostNs, "http://127.0.0.1:31000/"), StringComparison.Ordinal);

        // Removing a mapping for an address that no longer holds the port leaves the new holder's mapping alone.
        await nat.RemoveAsync([entry with { Address = System.Net.IPAddress.Parse("172.31.250.9") }]);
        Assert.Single(await nat.ListAsync());
        await nat.RemoveAsync([entry]);
        Assert.Empty(await nat.ListAsync());
        await nat.RemoveAsync([entry]); // idempotent
        Assert.Null(await NamespaceLab.TryGetAsync(HostNs, "http://127.0.0.1:31000/"));

        await bridge.DetachAsync("task-1", "hvtest" + _lab.Id);
        await bridge.DetachAsync("task-1", "hvtest" + _lab.Id);
        Assert.False(await host.LinkExistsAsync("hvtest" + _lab.Id));
        Assert.Empty(bridge.Addresses.Allocations());
    }
}
