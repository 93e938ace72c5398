using Harrier.Core.Networks;
using Harrier.Networking;
using Harrier.Testing;
using Xunit;

namespace Harrier.Networking.Tests;

/// <summary>
/// An overlay slice's routed tasks for real, inside a namespace the test makes (its "host"): no bridge, each task on its
/// own veth with a /32 route; the host, a sibling task and 127.0.0.1:hostPort reach a task; a task that leaves takes
/// its link and route with it while the gateway keeps answering its siblings.
/// </summary>
public sealed class RoutedNetworkTests : IAsyncLifetime
{
    private readonly NamespaceLab _lab = new("hnr");

    private string HostNs => _lab.HostNs;

    public async ValueTask InitializeAsync()
    {
        if (Requirements.Root() is null && Requirements.Binary("nft") is null && Requirements.Binary("ip") is null)
        {
            await _lab.NamespaceAsync("host");
        }
    }

    public ValueTask DisposeAsync() => _lab.DisposeAsync();

    [Fact]
    public async Task Attach_TwoTasks_ReachedByRoutesWithoutABridge_AndOneLeavingKeepsTheOther()
    {
        if ((Requirements.Root() ?? Requirements.Binary("nft") ?? Requirements.Binary("ip")
            ?? Requirements.Missing(File.Exists("/bin/busybox"), "busybox-static (/bin/busybox)")) is { } missing)
        {
            Assert.Skip(missing);
        }
        var host = new HostNamespace(HostNs);
        var slice = Ipv4Cidr.Parse("10.201.3.0/24");
        var network = new RoutedNetwork(host, slice, 1450, new IpAllocator(slice, _lab.State));
        var nat = new NatTable(host);
        await network.EnsureAsync(CancellationToken.None);
        await nat.ReplaceAsync([slice], [], []);
        var (veth1, veth2) = ("hvr1" + _lab.Id, "hvr2" + _lab.Id);
        var (task1, task2) = (await _lab.NamespaceAsync("task1"), await _lab.NamespaceAsync("task2"));

        var ip1 = await network.AttachAsync("task-1", task1, "eth0", veth1, defaultRoute: true, [], CancellationToken.None);
        var ip2 = await network.AttachAsync("task-2", task2, "eth0", veth2, defaultRoute: true, [], CancellationToken.None);
        _lab.StartServer(task1, 8080, "task-1");
        _lab.StartServer(task2, 8080, "task-2");
        await nat.AddAsync([new PortMapEntry("tcp", 31000, ip1, 8080)]);

        Assert.Equal(("10.201.3.2", "10.201.3.3"), (ip1.ToString(), ip2.ToString()));
        Assert.Empty((await host.IpAsync(["-o", "link", "show", "type", "bridge"])).Trim());
        Assert.Contains($"dev {veth1}", await host.IpAsync(["route", "get", ip1.ToString()]), StringComparison.Ordinal);
        Assert.Contains("1450", await HostCommand.RunAsync("ip", ["-n", task1, "-o", "link", "show", "eth0"]), StringComparison.Ordinal);
        Assert.Contains($"{ip1}/32", await HostCommand.RunAsync("ip", ["-n", task1, "-o", "addr", "show", "eth0"]), StringComparison.Ordinal);
        Assert.Contains("task-1", await NamespaceLab.GetAsync(HostNs, $"http://{ip1}:8080/"), StringComparison.Ordinal);
        Assert.Contains("task-2", await NamespaceLab.GetAsync(task1, $"http://{ip2}:8080/"), StringComparison.Ordinal);
        Assert.Contains("task-1", await NamespaceLab.GetAsync(task2, $"http://{ip1}:8080/"), StringComparison.Ordinal);
        Assert.Contains("task-1", await NamespaceLab.GetAsync(HostNs, "http://127.0.0.1:31000/"), StringComparison.Ordinal);

        // The first veth held the gateway address too: its sibling still reaches and is reached through the gateway.
        await network.DetachAsync("task-1", veth1);
        await network.DetachAsync("task-1", veth1); // idempotent
        Assert.False(await host.LinkExistsAsync(veth1));
        Assert.DoesNotContain(ip1.ToString() + " ", await host.IpAsync(["route", "show"]), StringComparison.Ordinal);
        Assert.Contains("task-2", await NamespaceLab.GetAsync(HostNs, $"http://{ip2}:8080/"), StringComparison.Ordinal);
        Assert.Equal("task-2", Assert.Single(network.Addresses.Allocations()).Owner);
    }
}
