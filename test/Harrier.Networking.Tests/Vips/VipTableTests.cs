using System.Net;
using System.Text.Json;
using Harrier.Networking;
using Harrier.Networking.Vips;
using Xunit;

namespace Harrier.Networking.Tests.Vips;

/// <summary>
/// The VIP table for real: nftables and addresses in a namespace the test makes (its "host"), backends in other
/// namespaces behind veths, clients on the host itself (output hook) and in a task-like namespace (prerouting).
/// </summary>
public sealed class VipTableTests : IAsyncLifetime
{
    private const int BackendPort = 8080;
    private VipTestBed? _bed;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_bed is not null)
        {
            await _bed.DisposeAsync();
        }
    }

    private async Task<VipTestBed> BedAsync(int backends)
    {
        if (VipTestBed.Missing() is { } missing)
        {
            Assert.Skip(missing);
        }
        return _bed = await VipTestBed.CreateAsync(backends, BackendPort);
    }

    private static VipService Vip(string address, int port, params (int Backend, int Weight)[] backends) =>
        Vip(address, port, VipProtocol.Tcp, backends);

    private static VipService Vip(string address, int port, VipProtocol protocol, params (int Backend, int Weight)[] backends) =>
        new(new VipKey(IPAddress.Parse(address), port, protocol),
            [.. backends.Select(b => new VipBackend(IPAddress.Parse(VipTestBed.BackendAddress(b.Backend)), BackendPort, b.Weight))]);

    [Fact]
    public async Task ApplyAsync_ThreeBackends_NewConnectionsReachEveryBackendFromHostAndTasks()
    {
        var bed = await BedAsync(3);
        using var table = new VipTable(bed.Host);

        var result = await table.ApplyAsync([Vip("127.10.0.1", 80, (1, 1), (2, 1), (3, 1)), Vip("10.99.0.1", 80, (1, 1), (2, 1), (3, 1))]);

        Assert.Equal(2, result.Added);
        Assert.Empty(result.Rejected);
        Assert.Equal(["b1", "b2", "b3"], (await VipTestBed.SeenAsync(bed.HostNs, "127.10.0.1", 80, 100, 3)).Order());
        Assert.Equal(["b1", "b2", "b3"], (await VipTestBed.SeenAsync(bed.ClientNs, "10.99.0.1", 80, 100, 3)).Order());
        Assert.Equal(["b1", "b2", "b3"], (await VipTestBed.SeenAsync(bed.HostNs, "10.99.0.1", 80, 100, 3)).Order());
    }

    [Fact]
    public async Task ApplyAsync_BackendOnThisHostsLoopback_ReachedFromTheHost()
    {
        // harrier dev's host-mode tasks: the agent is 127.0.0.1, so a backend is 127.0.0.1:hostPort. Such a connection
        // never leaves the host and must not be masqueraded (that breaks it on loopback).
        // A namespace with loopback only (like harrier dev's in the E2E tests before a bridge exists): masquerading on lo
        // finds no address to use there and drops the connection.
        var bed = await BedAsync(0);
        var lonely = "hvt-l-" + Guid.NewGuid().ToString("N")[..6];
        await bed.AddNamespaceAsync(lonely);
        await new HostNamespace(lonely).IpAsync(["link", "set", "lo", "up"]);
        await using var local = new TestBackend(lonely, "local", 9090);
        using var table = new VipTable(new HostNamespace(lonely));

        await table.ApplyAsync([new VipService(new VipKey(IPAddress.Parse("127.10.0.9"), 80, VipProtocol.Tcp), [new VipBackend(IPAddress.Loopback, 9090)])]);

        Assert.Equal(["local"], await VipTestBed.SeenAsync(lonely, "127.10.0.9", 80, 3, 1));
    }

    [Fact]
    public async Task ApplyAsync_WeightZero_NoNewConnectionsButTheEstablishedOneKeepsWorking()
    {
        var bed = await BedAsync(2);
        using var table = new VipTable(bed.Host);
        await table.ApplyAsync([Vip("10.99.0.1", 80, (1, 1), (2, 1))]);
        using var established = await OpenToAsync(bed.ClientNs, "10.99.0.1", 80, "b1");

        var result = await table.ApplyAsync([Vip("10.99.0.1", 80, (1, 0), (2, 1))]);

        Assert.Equal(1, result.Changed);
        var before = bed.Backends[0].Connections;
        Assert.Equal(["b2"], await VipTestBed.SeenAsync(bed.ClientNs, "10.99.0.1", 80, 30));
        Assert.Equal(before, bed.Backends[0].Connections);
        Assert.Equal("b1:still-here", await established.EchoAsync("still-here"));
    }

    [Fact]
    public async Task ApplyAsync_BackendRemoved_NoNewConnectionToItFromTheNextOne()
    {
        var bed = await BedAsync(3);
        using var table = new VipTable(bed.Host);
        await table.ApplyAsync([Vip("127.10.0.1", 80, (1, 1), (2, 1), (3, 1))]);
        Assert.Contains("b3", await VipTestBed.SeenAsync(bed.HostNs, "127.10.0.1", 80, 100, 3));

        await table.ApplyAsync([Vip("127.10.0.1", 80, (1, 1), (2, 1))]);

        var before = bed.Backends[2].Connections;
        Assert.Equal(["b1", "b2"], (await VipTestBed.SeenAsync(bed.HostNs, "127.10.0.1", 80, 40)).Order());
        Assert.Equal(before, bed.Backends[2].Connections);
    }

    [Fact]
    public async Task ApplyAsync_LastBackendGone_RulesAndAddressRemoved()
    {
        var bed = await BedAsync(1);
        using var table = new VipTable(bed.Host);
        await table.ApplyAsync([Vip("10.99.0.1", 80, (1, 1)), Vip("10.99.0.2", 80, (1, 1))]);
        Assert.Equal("b1", await TestConnection.BackendOfAsync(bed.ClientNs, "10.99.0.1", 80));

        var result = await table.ApplyAsync([Vip("10.99.0.1", 80), Vip("10.99.0.2", 80, (1, 1))]);

        Assert.Equal(1, result.Removed);
        var listed = await table.ListAsync();
        Assert.Equal([new VipKey(IPAddress.Parse("10.99.0.2"), 80, VipProtocol.Tcp)], listed.Keys);
        Assert.Equal([IPAddress.Parse("10.99.0.2")], await table.Device.ListAsync());
        var rules = await bed.Host.ExecAsync("nft", ["list", "table", "ip", VipTable.DefaultName]);
        Assert.DoesNotContain("10_99_0_1", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("10.99.0.1", rules, StringComparison.Ordinal);
        Assert.Null(await TestConnection.BackendOfAsync(bed.ClientNs, "10.99.0.1", 80));

        await table.ApplyAsync([]);
        Assert.Empty(await table.ListAsync());
        Assert.Empty(await table.Device.ListAsync());
    }

    [Fact]
    public async Task ReconcileAsync_NewInstanceAfterRestart_RemovesStaleVipKeepsWantedOneAndItsConnection()
    {
        var bed = await BedAsync(2);
        var wanted = Vip("127.10.0.1", 80, (1, 1));
        var stale = Vip("127.10.0.2", 80, (2, 1));
        using (var before = new VipTable(bed.Host))
        {
            await before.ApplyAsync([wanted, stale]);
        }
        using var established = await OpenToAsync(bed.HostNs, "127.10.0.1", 80, "b1");

        using var table = new VipTable(bed.Host);
        var result = await table.ReconcileAsync([wanted]);

        Assert.Equal((0, 0, 1), (result.Added, result.Changed, result.Removed));
        Assert.Equal([wanted.Key], (await table.ListAsync()).Keys);
        Assert.Equal([IPAddress.Parse("127.10.0.1")], await table.Device.ListAsync());
        Assert.Equal("b1:after-restart", await established.EchoAsync("after-restart"));
        Assert.Equal("b1", await TestConnection.BackendOfAsync(bed.HostNs, "127.10.0.1", 80));
        Assert.Null(await TestConnection.BackendOfAsync(bed.HostNs, "127.10.0.2", 80));
        Assert.True((await table.ApplyAsync([wanted])).NothingChanged);
    }

    [Fact]
    public async Task ApplyAsync_UdpVip_DatagramsReachEveryBackend()
    {
        var bed = await BedAsync(2);
        using var table = new VipTable(bed.Host);
        await table.ApplyAsync([Vip("10.99.0.5", 53, VipProtocol.Udp, (1, 1), (2, 1))]);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 60 && seen.Count < 2; i++)
        {
            if (await TestConnection.UdpAsync(bed.ClientNs, "10.99.0.5", 53) is { } name)
            {
                seen.Add(name);
            }
        }
        Assert.Equal(["b1", "b2"], seen.Order());
        Assert.Null(await TestConnection.BackendOfAsync(bed.ClientNs, "10.99.0.5", 53)); // tcp is another VIP
    }

    [Fact]
    public async Task ApplyAsync_TwoVipsOnOneAddress_EachPortReachesItsOwnBackendsAndOneGoingLeavesTheOther()
    {
        var bed = await BedAsync(2);
        using var table = new VipTable(bed.Host);
        await table.ApplyAsync([Vip("10.99.0.1", 80, (1, 1)), Vip("10.99.0.1", 81, (2, 1))]);

        Assert.Equal(["b1"], await VipTestBed.SeenAsync(bed.ClientNs, "10.99.0.1", 80, 10));
        Assert.Equal(["b2"], await VipTestBed.SeenAsync(bed.ClientNs, "10.99.0.1", 81, 10));

        await table.ApplyAsync([Vip("10.99.0.1", 81, (2, 1))]);
        Assert.Equal([IPAddress.Parse("10.99.0.1")], await table.Device.ListAsync());
        Assert.Equal("b2", await TestConnection.BackendOfAsync(bed.ClientNs, "10.99.0.1", 81));
        Assert.Null(await TestConnection.BackendOfAsync(bed.ClientNs, "10.99.0.1", 80));
    }

    [Fact]
    public async Task ApplyAsync_NonLoopbackVip_NeverLeavesByTheDefaultRoute()
    {
        var bed = await BedAsync(1);
        // A dead end as the host's default route: nothing may ever be sent there for the VIP.
        var dead = "hvt-d-" + bed.HostNs[^6..];
        await bed.AddNamespaceAsync(dead);
        await bed.Host.IpAsync(["link", "add", "hvtd", "type", "veth", "peer", "name", "eth0", "netns", dead]);
        await bed.Host.SysctlAsync("net.ipv6.conf.hvtd.disable_ipv6", "1");
        await bed.Host.IpAsync(["-batch", "-"], "addr add 192.0.2.1/24 dev hvtd\nlink set hvtd up\nroute add default via 192.0.2.2\n");
        await new HostNamespace(dead).IpAsync(["-batch", "-"], "addr add 192.0.2.2/24 dev eth0\nlink set eth0 up\n");
        // The check can see a leak: without the VIP, a connection to its address goes out there.
        var baseline = await SentAsync(bed.Host, "hvtd");
        Assert.Null(await TestConnection.BackendOfAsync(bed.HostNs, "10.99.0.1", 80));
        Assert.True(await SentAsync(bed.Host, "hvtd") > baseline);

        using var table = new VipTable(bed.Host);
        await table.ApplyAsync([Vip("10.99.0.1", 80, (1, 1))]);
        var before = await SentAsync(bed.Host, "hvtd");
        Assert.StartsWith("local 10.99.0.1", await bed.Host.IpAsync(["route", "get", "10.99.0.1"]), StringComparison.Ordinal);
        Assert.Equal("b1", await TestConnection.BackendOfAsync(bed.HostNs, "10.99.0.1", 80));
        Assert.Equal("b1", await TestConnection.BackendOfAsync(bed.ClientNs, "10.99.0.1", 80));
        // With no backend taking new connections the address stays local: refused here, not sent away.
        await table.ApplyAsync([Vip("10.99.0.1", 80, (1, 0))]);
        Assert.Null(await TestConnection.BackendOfAsync(bed.HostNs, "10.99.0.1", 80));
        Assert.Null(await TestConnection.BackendOfAsync(bed.ClientNs, "10.99.0.1", 80));
        Assert.Equal(before, await SentAsync(bed.Host, "hvtd"));
    }

    [Fact]
    public async Task ApplyAsync_TransactionFails_PreviousRulesStayAndTheErrorIsReported()
    {
        var bed = await BedAsync(2);
        using var table = new VipTable(bed.Host);
        var a = Vip("127.10.0.1", 80, (1, 1));
        await table.ApplyAsync([a, Vip("127.10.0.2", 80, (2, 1))]);
        // Someone else holds a jump to A's chain: deleting that chain fails, so the whole transaction must.
        await bed.Host.ExecAsync("nft", ["-f", "-"], $"add chain ip {VipTable.DefaultName} hvt_hold\nadd rule ip {VipTable.DefaultName} hvt_hold jump {a.Key.ChainName}\n");

        var error = await Assert.ThrowsAsync<NetworkSetupException>(() => table.ApplyAsync([Vip("127.10.0.2", 80, (1, 1)), Vip("127.10.0.3", 80, (1, 1))]));

        Assert.Contains("previous VIP rules are in place", error.Message, StringComparison.Ordinal);
        var kept = await table.ListAsync();
        Assert.Equal(2, kept.Count);
        Assert.Equal("10.77.2.2", Assert.Single(kept[new VipKey(IPAddress.Parse("127.10.0.2"), 80, VipProtocol.Tcp)]).Address.ToString());
        Assert.Equal("b2", await TestConnection.BackendOfAsync(bed.HostNs, "127.10.0.2", 80));
        Assert.Equal("b1", await TestConnection.BackendOfAsync(bed.HostNs, "127.10.0.1", 80));
        Assert.DoesNotContain(IPAddress.Parse("127.10.0.3"), await table.Device.ListAsync());

        await bed.Host.ExecAsync("nft", ["-f", "-"], $"delete chain ip {VipTable.DefaultName} hvt_hold\n");
        await table.ApplyAsync([Vip("127.10.0.2", 80, (1, 1)), Vip("127.10.0.3", 80, (1, 1))]);
        Assert.Equal("b1", await TestConnection.BackendOfAsync(bed.HostNs, "127.10.0.2", 80));
        Assert.Equal("b1", await TestConnection.BackendOfAsync(bed.HostNs, "127.10.0.3", 80));
        Assert.Null(await TestConnection.BackendOfAsync(bed.HostNs, "127.10.0.1", 80));
    }

    [Fact]
    public async Task ApplyAsync_HostileInput_RefusedBeforeTheKernelAndTheRestApplied()
    {
        var bed = await BedAsync(2);
        using var table = new VipTable(bed.Host);
        var kept = Vip("10.99.0.9", 80, (1, 1));
        await table.ApplyAsync([kept]);
        await bed.Host.ExecAsync("nft", ["add", "table", "ip", "hvt_sentinel"]);

        var result = await table.ApplyAsync(
        [
            Vip("10.99.0.1", 80, (2, 1)) with { Name = "/x\"; flush ruleset; delete table ip hvt_sentinel #" },
            Vip("0.0.0.0", 80, (1, 1)),
            Vip("224.0.0.1", 80, (1, 1)),
            Vip("127.0.0.1", 80, (1, 1)),
            Vip("10.78.0.1", 80, (1, 1)), // the host's own address on its task network
            Vip("10.99.0.2", 0, (1, 1)),
            Vip("10.99.0.3", 65536, (1, 1)),
            Vip("10.99.0.4", 80, (1, -1)),
            new VipService(new VipKey(IPAddress.Parse("10.99.0.5"), 80, VipProtocol.Tcp), [new VipBackend(IPAddress.Parse("255.255.255.255"), 80)]),
            new VipService(new VipKey(IPAddress.Parse("fd00::1"), 80, VipProtocol.Tcp), [new VipBackend(IPAddress.Parse("10.77.1.2"), 80)]),
            Vip("10.99.0.9", 80, (1, 20_000)), // an invalid update of a VIP that exists keeps what it had
        ]);

        Assert.Equal(10, result.Rejected.Count);
        Assert.Equal(["b2"], await VipTestBed.SeenAsync(bed.ClientNs, "10.99.0.1", 80, 5));
        Assert.Equal("b1", await TestConnection.BackendOfAsync(bed.ClientNs, "10.99.0.9", 80));
        Assert.Equal(
            [new VipKey(IPAddress.Parse("10.99.0.1"), 80, VipProtocol.Tcp), kept.Key],
            (await table.ListAsync()).Keys.OrderBy(k => k.Address.ToString()));
        Assert.Equal(0, (await bed.Host.TryExecAsync("nft", ["list", "table", "ip", "hvt_sentinel"])).ExitCode);
        Assert.DoesNotContain(IPAddress.Parse("10.78.0.1"), await table.Device.ListAsync());
        Assert.Contains(result.Rejected, r => r.Contains("already an address of this host", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoveAllAsync_TableAndDeviceGone_Idempotent()
    {
        var bed = await BedAsync(1);
        using var table = new VipTable(bed.Host);
        await table.ApplyAsync([Vip("10.99.0.1", 80, (1, 1))]);

        await table.RemoveAllAsync();
        await table.RemoveAllAsync();

        Assert.NotEqual(0, (await bed.Host.TryExecAsync("nft", ["list", "table", "ip", VipTable.DefaultName])).ExitCode);
        Assert.False(await bed.Host.LinkExistsAsync(VipAddressDevice.DefaultName));
        await table.ApplyAsync([Vip("10.99.0.1", 80, (1, 1))]);
        Assert.Equal("b1", await TestConnection.BackendOfAsync(bed.ClientNs, "10.99.0.1", 80));
    }

    /// <summary>A connection that reached <paramref name="backend"/> (bounded number of tries).</summary>
    private static async Task<TestConnection> OpenToAsync(string ns, string address, int port, string backend)
    {
        for (var i = 0; i < 100; i++)
        {
            var connection = await TestConnection.TryOpenAsync(ns, address, port);
            if (connection?.Backend == backend)
            {
                return connection;
            }
            connection?.Dispose();
        }
        throw new InvalidOperationException($"no connection to {address}:{port} reached {backend} in 100 tries");
    }

    private static async Task<long> SentAsync(HostNamespace host, string device)
    {
        using var doc = JsonDocument.Parse(await host.IpAsync(["-j", "-s", "link", "show", "dev", device]));
        return doc.RootElement[0].GetProperty("stats64").GetProperty("tx").GetProperty("packets").GetInt64();
    }
}
