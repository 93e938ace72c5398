using Harrier.Core.Networks;
using Harrier.Networking;
using Xunit;

namespace Harrier.Networking.Tests;

public sealed class IpAllocatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "harrier-ipam-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Allocate_Owners_GetDistinctAddressesNeverNetworkGatewayOrBroadcast()
    {
        var ipam = new IpAllocator(Ipv4Cidr.Parse("10.9.0.0/29"), _dir);
        var addresses = Enumerable.Range(0, 5).Select(i => ipam.Allocate("t" + i).ToString()).ToList();
        Assert.Equal(["10.9.0.2", "10.9.0.3", "10.9.0.4", "10.9.0.5", "10.9.0.6"], addresses);
        var full = Assert.Throws<NetworkSetupException>(() => ipam.Allocate("t5"));
        Assert.Contains("no free address left in 10.9.0.0/29", full.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_SameOwnerAgain_GetsTheAddressItHolds()
    {
        var ipam = new IpAllocator(Ipv4Cidr.Parse("10.9.0.0/24"), _dir);
        Assert.Equal(ipam.Allocate("task-a"), ipam.Allocate("task-a"));
    }

    [Fact]
    public void Release_Owner_FreesItsAddressForAnotherAndSurvivesANewAllocator()
    {
        var subnet = Ipv4Cidr.Parse("10.9.0.0/29");
        var first = new IpAllocator(subnet, _dir);
        var a = first.Allocate("task-a");
        first.Allocate("task-b");
        // A restarted agent (a new allocator on the same directory) sees what the previous one handed out.
        var second = new IpAllocator(subnet, _dir);
        Assert.Equal(a, second.Find("task-a"));
        second.Release("task-a");
        Assert.Null(second.Find("task-a"));
        Assert.DoesNotContain(second.Allocations(), x => x.Owner == "task-a");
        Assert.Single(second.Allocations());
    }

    [Fact]
    public async Task Allocate_Concurrently_NeverHandsOutOneAddressTwice()
    {
        var subnet = Ipv4Cidr.Parse("10.9.0.0/24");
        var allocators = Enumerable.Range(0, 4).Select(_ => new IpAllocator(subnet, _dir)).ToList();
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => allocators[i % 4].Allocate("t" + i))));
        Assert.Equal(200, results.Distinct().Count());
    }
}
