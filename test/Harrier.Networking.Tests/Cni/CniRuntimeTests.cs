using System.Diagnostics;
using Harrier.Networking.Cni;
using Harrier.Testing;
using Xunit;

namespace Harrier.Networking.Tests.Cni;

/// <summary>
/// Debian's CNI plugins for real (bridge + host-local + portmap), run in a namespace the test makes as the "host" for a
/// task namespace it makes: ADD gives the task an address it answers on, directly and through a mapped host port; DEL
/// leaves no veth, no address file and no per-container iptables chain. Failures — an exhausted range, a plugin that
/// prints an error, garbage, or hangs — are clear errors naming the network and plugin, and their DEL cleans up.
/// </summary>
public sealed class CniRuntimeTests : IAsyncLifetime
{
    private const string PluginDir = "/usr/lib/cni";
    private readonly NamespaceLab _lab = new("hcni");

    private string HostNs => _lab.HostNs;

    private string IpamDir => Path.Combine(_lab.State, "ipam");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_lab.State);
        if (Missing() is null)
        {
            await _lab.NamespaceAsync("host");
        }
    }

    public ValueTask DisposeAsync() => _lab.DisposeAsync();

    private static string? Missing() =>
        Requirements.Root() ?? Requirements.Binary("ip") ?? Requirements.Binary("iptables")
        ?? Requirements.Missing(File.Exists(Path.Combine(PluginDir, "bridge")), "containernetworking-plugins (" + PluginDir + ")")
        ?? Requirements.Missing(File.Exists("/bin/busybox"), "busybox-static (/bin/busybox)");

    private static void Require()
    {
        if (Missing() is { } missing)
        {
            Assert.Skip(missing);
        }
    }

    private CniRuntime Runtime(params string[] dirs) =>
        new(new CniPluginInvoker(new HostNamespace(HostNs), dirs.Length > 0 ? dirs : [PluginDir], TimeSpan.FromSeconds(5)));

    /// <summary>A bridge network with a host-local range (of <paramref name="size"/> addresses) and portmap.</summary>
    private CniNetworkConfig Network(string version = "1.0.0", int size = 50) => CniConfigParser.Parse($$$"""
        {"cniVersion":"{{{version}}}","name":"cnitest","plugins":[
          {"type":"bridge","bridge":"cnitest0","isGateway":true,"ipMasq":true,
           "ipam":{"type":"host-local","ranges":[[{"subnet":"10.77.0.0/24","rangeStart":"10.77.0.10","rangeEnd":"10.77.0.{{{9 + size}}}"}]],
                   "routes":[{"dst":"0.0.0.0/0"}],"dataDir":"{{{IpamDir}}}"}},
          {"type":"portmap","capabilities":{"portMappings":true},"snat":true}]}
        """, "test", isList: true, [PluginDir]);

    private async Task<(string Ns, CniRuntimeArgs Args)> TaskNamespaceAsync(string name, params CniPortMapping[] mappings)
    {
        var ns = await _lab.NamespaceAsync(name);
        return (ns, new CniRuntimeArgs("harrier-" + name + _lab.Id, NetworkNamespaces.PathOf(ns), "eth0", mappings));
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("0.4.0")]
    [InlineData("0.3.1")]
    public async Task AddThenDel_BridgePortmap_TaskReachableThenNothingLeft(string version)
    {
        Require();
        var runtime = Runtime();
        var network = Network(version);
        var (task, args) = await TaskNamespaceAsync("t1", new CniPortMapping(31080, 8080, "tcp"));

        var result = await runtime.AddAsync(network, args, CancellationToken.None);

        Assert.Equal(version, result.CniVersion);
        var ip = Assert.Single(result.ContainerAddresses);
        Assert.StartsWith("10.77.0.", ip, StringComparison.Ordinal);
        _lab.StartServer(task, 8080, "cni-task");
        Assert.Contains("cni-task", await NamespaceLab.GetAsync(HostNs, $"http://{ip}:8080/"), StringComparison.Ordinal);
        Assert.Contains("cni-task", await NamespaceLab.GetAsync(HostNs, "http://10.77.0.1:31080/"), StringComparison.Ordinal);
        Assert.Contains("CNI-DN-", await NatRulesAsync(), StringComparison.Ordinal);
        Assert.Contains(ip, IpamFiles());

        await runtime.DelAsync(network, args, result.Json, CancellationToken.None);
        await runtime.DelAsync(network, args, result.Json, CancellationToken.None); // idempotent

        Assert.Equal("", await LeftoversAsync());
        Assert.Null(await NamespaceLab.TryGetAsync(HostNs, "http://10.77.0.1:31080/"));
    }

    [Fact]
    public async Task Del_NamespaceAlreadyGone_Succeeds()
    {
        Require();
        var runtime = Runtime();
        var network = Network();
        var (task, args) = await TaskNamespaceAsync("gone", new CniPortMapping(31081, 8080, "tcp"));
        var result = await runtime.AddAsync(network, args, CancellationToken.None);
        await NetworkNamespaces.DeleteAsync(task);

        await runtime.DelAsync(network, args, result.Json, CancellationToken.None);

        Assert.Empty(IpamFiles());
        Assert.DoesNotContain("CNI-DN-", await NatRulesAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_RangeExhausted_ErrorNamesNetworkAndPluginAndDelLeavesNothingOfIt()
    {
        Require();
        var runtime = Runtime();
        var network = Network(size: 1);
        var (_, first) = await TaskNamespaceAsync("full1");
        var held = await runtime.AddAsync(network, first, CancellationToken.None);
        var (_, second) = await TaskNamespaceAsync("full2", new CniPortMapping(31082, 8080, "tcp"));

        var error = await Assert.ThrowsAsync<NetworkSetupException>(() => runtime.AddAsync(network, second, CancellationToken.None));

        Assert.Contains("CNI network 'cnitest': plugin 'bridge' failed ADD", error.Message, StringComparison.Ordinal);
        Assert.Contains("no IP addresses available", error.Message, StringComparison.Ordinal);
        // What the failed ADD made (the veth pair) goes with its DEL; the first task keeps its address.
        await runtime.DelAsync(network, second, null, CancellationToken.None);
        Assert.Equal([held.ContainerAddresses[0]], IpamFiles());
        var (_, links, _) = await new HostNamespace(HostNs).TryIpAsync(["-o", "link", "show", "master", "cnitest0"]);
        Assert.Single(links.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await runtime.DelAsync(network, first, held.Json, CancellationToken.None);
        Assert.Equal("", await LeftoversAsync());
    }

    [Theory]
    [InlineData("echo '{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"boom\",\"details\":\"it broke\"}'; exit 1", "plugin 'hostile' failed ADD: code 7: boom (it broke)")]
    [InlineData("echo 'panic: oops' >&2; exit 2", "plugin 'hostile' failed ADD: panic: oops (exit 2)")]
    [InlineData("echo 'this is not json'", "plugin 'hostile' ADD: the result is not valid JSON")]
    [InlineData("head -c 3000000 /dev/zero | tr '\\0' 'x'", "plugin 'hostile' ADD: the result is not valid JSON")]
    [InlineData("echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"1.2.3.4/99\"}]}'", "plugin 'hostile' ADD: the result's address")]
    [InlineData("exec sleep 30", "plugin 'hostile' failed ADD: timed out after 5 s")]
    public async Task Add_HostilePlugin_ClearFailureNeverACrash(string script, string expected)
    {
        Require();
        var dir = Path.Combine(_lab.State, "plugins");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "hostile");
        await File.WriteAllTextAsync(path, "#!/bin/sh\ncat > /dev/null\n" + script + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var network = CniConfigParser.Parse("""{"cniVersion":"1.0.0","name":"bad","type":"hostile"}""", "test", isList: false, [dir]);
        var (_, args) = await TaskNamespaceAsync("hostile");

        var started = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<NetworkSetupException>(() => Runtime(dir).AddAsync(network, args, CancellationToken.None));

        Assert.StartsWith("CNI network 'bad': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 1000, "the message is bounded: " + error.Message.Length);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), "the time limit holds: " + started.Elapsed);
    }

    [Fact]
    public void Stdin_PortmapPlugin_GetsNameVersionPrevResultAndPortMappings()
    {
        var network = CniConfigParser.Parse("""
            {"cniVersion":"1.0.0","name":"n","plugins":[{"type":"sh"},{"type":"sh","capabilities":{"portMappings":true},"runtimeConfig":{"x":1}}]}
            """, "test", isList: true, ["/bin"]);
        var args = new CniRuntimeArgs("c1", "/run/netns/x", "eth0", [new CniPortMapping(31000, 80, "tcp")]);

        var first = System.Text.Json.Nodes.JsonNode.Parse(CniRuntime.Stdin(network, network.Plugins[0], args, null))!;
        var second = System.Text.Json.Nodes.JsonNode.Parse(CniRuntime.Stdin(network, network.Plugins[1], args, """{"cniVersion":"1.0.0","ips":[]}"""))!;

        Assert.Equal("n", (string?)first["name"]);
        Assert.Equal("1.0.0", (string?)first["cniVersion"]);
        Assert.Null(first["prevResult"]);
        Assert.Null(first["runtimeConfig"]);
        Assert.Equal("1.0.0", (string?)second["prevResult"]!["cniVersion"]);
        Assert.Equal("""{"portMappings":[{"hostPort":31000,"containerPort":80,"protocol":"tcp"}]}""", second["runtimeConfig"]!.ToJsonString());
    }

    private List<string> IpamFiles()
    {
        var dir = Path.Combine(IpamDir, "cnitest");
        return Directory.Exists(dir)
            ? [.. Directory.GetFiles(dir).Select(Path.GetFileName).OfType<string>().Where(f => f != "lock" && !f.StartsWith("last_reserved_ip", StringComparison.Ordinal))]
            : [];
    }

    private async Task<string> NatRulesAsync() => (await new HostNamespace(HostNs).ExecAsync("iptables-save", ["-t", "nat"]));

    /// <summary>What a container left: veths on the bridge, address files, per-container chains ("" = nothing).</summary>
    private async Task<string> LeftoversAsync()
    {
        var (_, links, _) = await new HostNamespace(HostNs).TryIpAsync(["-o", "link", "show", "master", "cnitest0"]);
        var chains = (await NatRulesAsync()).Split('\n')
            .Where(l => l.StartsWith(":CNI-", StringComparison.Ordinal) && !l.StartsWith(":CNI-HOSTPORT-", StringComparison.Ordinal))
            .ToList();
        var files = IpamFiles();
        return (links.Trim().Length > 0 ? "veths: " + links.Trim() + "; " : "")
            + (chains.Count > 0 ? "chains: " + string.Join(",", chains) + "; " : "")
            + (files.Count > 0 ? "addresses: " + string.Join(",", files) : "");
    }
}
