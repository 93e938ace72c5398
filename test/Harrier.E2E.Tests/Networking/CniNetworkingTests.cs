using System.Net;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Harrier.Testing.Images;
using Xunit;

namespace Harrier.E2E.Tests.Networking;

/// <summary>
/// A named CNI network (Debian's bridge + host-local + portmap, from a <c>--cni-config-dir</c>) joined by the httpi
/// image on a real <c>harrier dev</c> running in a namespace the test made: each task gets an address from the
/// network (its <c>ipAddresses</c>), answers on it and on its mapped host port; after a <c>kill -9</c> of the agent a
/// running task keeps its address and a task that died meanwhile is DELeted; deleting the app leaves no namespace,
/// veth, address, cached attachment or port-map chain.
/// </summary>
public sealed class CniNetworkingTests : IDisposable
{
    private const string Network = "cninet";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "harrier-e2e-cni-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private string IpamDir => Path.Combine(_dir, "ipam", Network);

    private string WriteConfig()
    {
        var conf = Path.Combine(_dir, "conf");
        Directory.CreateDirectory(conf);
        File.WriteAllText(Path.Combine(conf, "10-cninet.conflist"), $$$"""
            {"cniVersion":"1.0.0","name":"{{{Network}}}","plugins":[
              {"type":"bridge","bridge":"cnie2e0","isGateway":true,"ipMasq":true,
               "ipam":{"type":"host-local","ranges":[[{"subnet":"10.78.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"{{{Path.Combine(_dir, "ipam")}}}"}},
              {"type":"portmap","capabilities":{"portMappings":true},"snat":true}]}
            """);
        // A bad file is skipped, never fatal.
        File.WriteAllText(Path.Combine(conf, "20-evil.conf"), """{"cniVersion":"1.0.0","name":"evil","type":"../../bin/sh"}""");
        return conf;
    }

    private const string App = """
        {"id":"/cnihttpi","cpus":0.1,"mem":32,"instances":2,
         "cmd":"mkdir -p /www && echo 3.1415926536 > /www/index.html && exec httpd -f -p 3141 -h /www",
         "networks":[{"mode":"container","name":"cninet"}],
         "container":{"type":"DOCKER","docker":{"image":"dcoslabs/httpi:latest"},
           "portMappings":[{"containerPort":3141,"hostPort":0,"protocol":"tcp","name":"http"}]}}
        """;

    [Fact]
    public async Task HttpiOnCniNetwork_AddressReachableSurvivesKillNineAndLeavesNothing()
    {
        NetworkTestHost.Require();
        if (Requirements.Missing(File.Exists("/usr/lib/cni/bridge"), "containernetworking-plugins (/usr/lib/cni)") is { } missing)
        {
            Assert.Skip(missing);
        }
        await using var host = await NetworkTestHost.StartAsync();
        var dev = await host.StartDevAsync("--cni-config-dir", WriteConfig());

        Assert.Equal(HttpStatusCode.Created, (await dev.SendAsync(HttpMethod.Post, "/v2/apps", App)).Status);
        var tasks = await NetworkTestHost.WaitForRunningAsync(dev, "/cnihttpi", 2);
        var ips = new Dictionary<string, string>();
        foreach (var task in tasks.Select(t => t!))
        {
            host.SeenNamespaces.Add(NetworkTestHost.TaskNamespace(task));
            var ip = task["ipAddresses"]!.AsArray().Single()!["ipAddress"]!.GetValue<string>();
            Assert.StartsWith("10.78.0.", ip, StringComparison.Ordinal);
            ips[task["id"]!.GetValue<string>()] = ip;
            // From the agent's namespace to the task's address, and to the host port portmap forwards.
            BridgeNetworkingTests.AssertHttpi(await host.WgetAsync(null, $"http://{ip}:3141/"));
            BridgeNetworkingTests.AssertHttpi(await host.WgetAsync(null, $"http://{host.Address}:{task["ports"]![0]}/"));
        }
        Assert.Equal(2, ips.Values.Distinct().Count());
        Assert.Equal(ips.Values.Order(), Allocated().Order());
        Assert.Contains("20-evil.conf", dev.Output, StringComparison.Ordinal);

        // kill -9 the agent; one task dies while it is down.
        var (kept, dead) = (ips.Keys.First(), ips.Keys.Last());
        await dev.KillHardAsync();
        foreach (var (pid, _, _) in dev.TaskProcesses().Where(p => p.TaskId == dead))
        {
            KillProcess(pid);
        }
        await dev.StartProcessAsync();

        var after = await Eventually.WaitAsync(async () =>
        {
            var list = (await dev.GetJsonAsync("/v2/apps/cnihttpi/tasks"))["tasks"]!.AsArray();
            return list.Count == 2 && list.All(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING")
                && list.All(t => t!["id"]!.GetValue<string>() != dead) ? list : null;
        }, TimeSpan.FromSeconds(120), "the dead task replaced");
        var keptTask = after.Single(t => t!["id"]!.GetValue<string>() == kept)!;
        Assert.Equal(ips[kept], keptTask["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>());
        BridgeNetworkingTests.AssertHttpi(await host.WgetAsync(null, $"http://{ips[kept]}:3141/"));
        foreach (var task in after)
        {
            host.SeenNamespaces.Add(NetworkTestHost.TaskNamespace(task!));
        }
        var liveIps = after.Select(t => t!["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>()).ToList();
        // The dead task's address is freed (its DEL ran), the replacement holds its own: exactly the live tasks' addresses.
        await Eventually.TrueAsync(() => Allocated().Order().SequenceEqual(liveIps.Order()), TimeSpan.FromSeconds(30),
            "only the live tasks' addresses allocated");
        Assert.Equal(2, CachedAttachments(dev).Length);

        await host.DeleteAppAsync("/cnihttpi");
        await Eventually.TrueAsync(async () => await LeftoversAsync(host, dev) == "", TimeSpan.FromSeconds(20), "nothing of the CNI network left");
    }

    [Fact]
    public async Task AppOnUnknownNetwork_Is422NamingTheNetwork()
    {
        NetworkTestHost.Require();
        await using var host = await NetworkTestHost.StartAsync();
        var dev = await host.StartDevAsync("--cni-config-dir", WriteConfig());

        var (status, body, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", App.Replace("\"cninet\"", "\"nosuchnet\"", StringComparison.Ordinal));

        // Neither an overlay nor a network any agent offers: refused at once (one an agent offers waits for it instead).
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("nosuchnet", body!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await dev.SendAsync(HttpMethod.Post, "/v2/apps", App)).Status);
    }

    private List<string> Allocated() =>
        Directory.Exists(IpamDir)
            ? [.. Directory.GetFiles(IpamDir).Select(Path.GetFileName).OfType<string>().Where(f => IPAddress.TryParse(f, out _))]
            : [];

    private static string[] CachedAttachments(HarrierDev dev)
    {
        var dir = Path.Combine(dev.DataDir, "agent", "networks", "cni");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, "*.json") : [];
    }

    private static void KillProcess(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            p.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>What the CNI network still holds: veths on its bridge, addresses, cached attachments, per-container chains.</summary>
    private async Task<string> LeftoversAsync(NetworkTestHost host, HarrierDev dev)
    {
        var (_, links) = await host.ExecAsync(null, "ip", "-o", "link", "show", "master", "cnie2e0");
        var (_, nat) = await host.ExecAsync(null, "iptables-save", "-t", "nat");
        var chains = nat.Split('\n').Where(l => l.StartsWith(":CNI-", StringComparison.Ordinal) && !l.StartsWith(":CNI-HOSTPORT-", StringComparison.Ordinal)).ToList();
        var held = Allocated();
        var cached = CachedAttachments(dev);
        return (links.Trim().Length > 0 ? "veths: " + links.Trim() + "; " : "")
            + (chains.Count > 0 ? "chains: " + string.Join(",", chains) + "; " : "")
            + (held.Count > 0 ? "addresses: " + string.Join(",", held) + "; " : "")
            + (cached.Length > 0 ? "cached: " + cached.Length : "");
    }
}
