using Harrier.Agent.Launch.Networks;
using Harrier.Core.Collections;
using Harrier.Networking;
using Harrier.Protocol;
using Harrier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Harrier.Agent.Tests.Launch.Networks;

/// <summary>
/// The agent's side of VIPs on real devices in a namespace the test makes: an agent that never had a VIP leaves its
/// host alone (the server sends every agent an empty set at registration); the first VIP brings the table and routes
/// the VIP range unreachable; a backend on the agent's own host port goes to the task behind the mapping.
/// </summary>
public sealed class AgentVipsTests : IAsyncLifetime
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly string _state = Path.Combine(Path.GetTempPath(), "harrier-agentvips-" + Guid.NewGuid().ToString("N")[..8]);

    private string HostNs => "hav-host-" + _id;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await NetworkNamespaces.DeleteAsync(HostNs);
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    private async Task<(AgentNetworks Networks, HostNamespace Host)> SetUpAsync()
    {
        if ((Requirements.Root() ?? Requirements.Binary("nft") ?? Requirements.Binary("ip")) is { } missing)
        {
            Assert.Skip(missing);
        }
        await NetworkNamespaces.CreateAsync(HostNs, CancellationToken.None);
        var host = new HostNamespace(HostNs);
        await host.IpAsync(["link", "set", "lo", "up"]);
        return (new AgentNetworks(_state, null, host), host);
    }

    private static VipConfigCommand Config(params VipEntry[] vips) => new(1, new ValueList<VipEntry>(vips), "10.199.0.0/16");

    [Fact]
    public async Task ApplyAsync_NoVipEver_LeavesTheHostAlone()
    {
        var (networks, host) = await SetUpAsync();
        using var _ = networks;
        using var vips = new AgentVips(networks, "a1", NullLogger.Instance);

        await vips.ApplyAsync(Config(), CancellationToken.None);

        Assert.NotEqual(0, (await host.TryExecAsync("nft", ["list", "table", "ip", vips.Table.Name])).ExitCode);
        Assert.DoesNotContain("10.199.0.0/16", (await host.TryIpAsync(["route", "show"])).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_FirstVip_TableAndUnreachableRange_LocalBackendTranslated()
    {
        var (networks, host) = await SetUpAsync();
        using var _ = networks;
        using var vips = new AgentVips(networks, "a1", NullLogger.Instance);
        // This agent's own host port 31005 maps to a task at 172.31.9.2:3141 (the NAT table's index, without the table).
        networks.Index([new PortMapEntry("tcp", 31005, System.Net.IPAddress.Parse("172.31.9.2"), 3141)], add: true);

        var config = Config(new VipEntry("10.199.0.7", 80, "tcp", new ValueList<VipBackendEntry>(
            [new VipBackendEntry("10.0.0.5", 31005, 1, "a1"), new VipBackendEntry("10.0.0.6", 31006, 1, "a2")])));
        var desired = vips.Desired(config).Single();
        Assert.Equal(["172.31.9.2:3141", "10.0.0.6:31006"], desired.Backends.Select(b => $"{b.Address}:{b.Port}"));

        await vips.ApplyAsync(config, CancellationToken.None);

        Assert.Contains("10.199.0.7", (await host.ExecAsync("nft", ["list", "table", "ip", vips.Table.Name])), StringComparison.Ordinal);
        Assert.Contains("unreachable 10.199.0.0/16", (await host.TryIpAsync(["route", "show"])).Stdout, StringComparison.Ordinal);
    }
}
