using System.Diagnostics;

namespace Harrier.E2E.Tests.Cluster;

/// <summary>
/// A Linux bridge on the host plus one network namespace per agent joined to it by a veth pair, so agents get
/// their own addresses and a partition is a real link cut. Addresses are 10.213.K.0/24, a range used only here.
/// </summary>
public sealed class TestNetwork : IAsyncDisposable
{
    private static int s_next;
    private readonly List<string> _namespaces = [];
    private readonly List<string> _hostVeths = [];

    private TestNetwork(string bridge, int subnet)
    {
        Bridge = bridge;
        Subnet = subnet;
    }

    public string Bridge { get; }
    public int Subnet { get; }
    public string HostAddress => $"10.213.{Subnet}.1";

    /// <summary>Creates the bridge; callers check <c>Requirements.Root()</c> and <c>Requirements.Binary("ip")</c> first.</summary>
    public static async Task<TestNetwork> CreateAsync()
    {
        var n = Interlocked.Increment(ref s_next);
        var subnet = (Environment.ProcessId % 200) + n;
        var net = new TestNetwork($"hrt{Environment.ProcessId % 1000}b{n}", subnet % 250 + 2);
        await IpAsync("link", "add", net.Bridge, "type", "bridge");
        await IpAsync("addr", "add", net.HostAddress + "/24", "dev", net.Bridge);
        await IpAsync("link", "set", net.Bridge, "up");
        return net;
    }

    /// <summary>Adds namespace number <paramref name="index"/> (address .index+2); returns the namespace name and its address.</summary>
    public async Task<(string Namespace, string Address)> AddHostAsync(int index)
    {
        var ns = $"hrt-{Bridge}-{index}";
        var hostVeth = $"{Bridge}h{index}";
        var address = $"10.213.{Subnet}.{index + 2}";
        await IpAsync("netns", "add", ns);
        _namespaces.Add(ns);
        await IpAsync("link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        _hostVeths.Add(hostVeth);
        await IpAsync("link", "set", hostVeth, "master", Bridge, "up");
        await IpAsync("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        await IpAsync("-n", ns, "link", "set", "eth0", "up");
        await IpAsync("-n", ns, "link", "set", "lo", "up");
        await IpAsync("-n", ns, "route", "add", "default", "via", HostAddress);
        return (ns, address);
    }

    /// <summary>Cuts (false) or heals (true) host <paramref name="index"/>'s link.</summary>
    public Task SetLinkAsync(int index, bool up) => IpAsync("link", "set", $"{Bridge}h{index}", up ? "up" : "down");

    public static string[] Exec(string ns) => ["ip", "netns", "exec", ns];

    public async ValueTask DisposeAsync()
    {
        foreach (var veth in _hostVeths)
        {
            await TryIpAsync("link", "del", veth);
        }
        foreach (var ns in _namespaces)
        {
            await TryIpAsync("netns", "del", ns);
        }
        await TryIpAsync("link", "del", Bridge);
    }

    private static async Task TryIpAsync(params string[] args)
    {
        try
        {
            await IpAsync(args);
        }
        catch (InvalidOperationException)
        {
            // Best effort: the link may already be gone with its namespace.
        }
    }

    private static async Task IpAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)}: {err}");
        }
    }
}
