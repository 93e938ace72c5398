using Harrier.Core.Networks;
using System.Diagnostics;
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
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly string _state = Path.Combine(Path.GetTempPath(), "harrier-net-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string> _namespaces = [];
    private readonly List<Process> _servers = [];

    private string HostNs => "hnt-host-" + _id;

    public async ValueTask InitializeAsync()
    {
        if (Requirements.Root() is null && Requirements.Binary("nft") is null && Requirements.Binary("ip") is null)
        {
            await NetworkNamespaces.CreateAsync(HostNs, CancellationToken.None);
            _namespaces.Add(HostNs);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.Kill();
            await server.WaitForExitAsync();
            server.Dispose();
        }
        foreach (var ns in _namespaces)
        {
            await NetworkNamespaces.DeleteAsync(ns);
        }
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

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
        var bridge = new BridgeNetwork(host, "hbr0", Ipv4Cidr.Parse("172.31.250.0/24"), 1500, new IpAllocator(Ipv4Cidr.Parse("172.31.250.0/24"), _state));
        var nat = new NatTable(host);
        await bridge.EnsureAsync(CancellationToken.None);
        await bridge.EnsureAsync(CancellationToken.None); // idempotent: an agent restart adopts the bridge
        await nat.ReplaceAsync([bridge.Subnet], [], []);

        var task = "hnt-task-" + _id;
        await NetworkNamespaces.CreateAsync(task, CancellationToken.None);
        _namespaces.Add(task);
        var address = await bridge.AttachAsync("task-1", task, "eth0", "hvtest" + _id, defaultRoute: true, [], CancellationToken.None);
        Assert.Equal("172.31.250.2", address.ToString());
        StartServer(task, 8080);
        var entry = new PortMapEntry("tcp", 31000, address, 8080);
        await nat.AddAsync([entry]);

        Assert.Contains("task-1", await GetAsync(HostNs, "http://172.31.250.2:8080/"), StringComparison.Ordinal);
        Assert.Contains("task-1", await GetAsync(HostNs, "http://127.0.0.1:31000/"), StringComparison.Ordinal);
        Assert.Equal([entry], await nat.ListAsync());

        // A restart's rebuild keeps what is still wanted (the filter decides), in one transaction.
        await nat.ReplaceAsync([bridge.Subnet], [], await nat.ListAsync());
        Assert.Equal([entry], await nat.ListAsync());
        Assert.Contains("task-1", await GetAsync(HostNs, "http://127.0.0.1:31000/"), StringComparison.Ordinal);

        // Removing a mapping for an address that no longer holds the port leaves the new holder's mapping alone.
        await nat.RemoveAsync([entry with { Address = System.Net.IPAddress.Parse("172.31.250.9") }]);
        Assert.Single(await nat.ListAsync());
        await nat.RemoveAsync([entry]);
        Assert.Empty(await nat.ListAsync());
        await nat.RemoveAsync([entry]); // idempotent
        Assert.Null(await TryGetAsync(HostNs, "http://127.0.0.1:31000/"));

        await bridge.DetachAsync("task-1", "hvtest" + _id);
        await bridge.DetachAsync("task-1", "hvtest" + _id);
        Assert.False(await host.LinkExistsAsync("hvtest" + _id));
        Assert.Empty(bridge.Addresses.Allocations());
    }

    private void StartServer(string ns, int port)
    {
        var www = Path.Combine(_state, "www-" + ns);
        Directory.CreateDirectory(www);
        File.WriteAllText(Path.Combine(www, "index.html"), "task-1\n");
        _servers.Add(Process.Start("ip", ["netns", "exec", ns, "/bin/busybox", "httpd", "-f", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-h", www])!);
    }

    private static async Task<string> GetAsync(string ns, string url) =>
        await Eventually.WaitAsync(() => TryGetAsync(ns, url), TimeSpan.FromSeconds(10), "an answer from " + url);

    private static async Task<string?> TryGetAsync(string ns, string url)
    {
        // busybox wget's -T crashes the static build; the command's own limit bounds it.
        var (code, stdout, _) = await HostCommand.TryRunAsync("ip", ["netns", "exec", ns, "/bin/busybox", "wget", "-q", "-O", "-", url], timeout: TimeSpan.FromSeconds(5));
        return code == 0 ? stdout : null;
    }
}
