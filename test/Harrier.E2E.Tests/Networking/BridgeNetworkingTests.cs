using System.Net;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Harrier.Testing.Images;
using Xunit;

namespace Harrier.E2E.Tests.Networking;

/// <summary>
/// The networking guide's <c>container/bridge</c> app (<c>../shared/guide-apps/httpi-bridge-vip.json</c>) posted
/// unchanged to a real <c>harrier dev</c> running in a namespace the test made: a namespace, veth and bridge address
/// per task, host ports mapped by nftables, <c>ipAddresses</c> in the task JSON, and nothing left once the app is gone.
/// </summary>
public sealed class BridgeNetworkingTests
{
    internal static string GuideApp(string file)
    {
        var folder = SharedData.Folder("guide-apps", out var skip);
        if (folder is null)
        {
            Assert.Skip(skip!);
        }
        return File.ReadAllText(Path.Combine(folder, file));
    }

    [Fact]
    public async Task HttpiBridge_Unchanged_EachTaskAnswersOnHostPortAndTaskIpAndLeavesNothing()
    {
        NetworkTestHost.Require();
        var definition = GuideApp("httpi-bridge-vip.json");
        await using var host = await NetworkTestHost.StartAsync();
        var dev = await host.StartDevAsync();

        Assert.Equal(HttpStatusCode.Created, (await dev.SendAsync(HttpMethod.Post, "/v2/apps", definition)).Status);
        var tasks = await NetworkTestHost.WaitForRunningAsync(dev, "/httpi", 5);
        var ips = new HashSet<string>();
        foreach (var task in tasks.Select(t => t!))
        {
            host.SeenNamespaces.Add(NetworkTestHost.TaskNamespace(task));
            var ip = task["ipAddresses"]!.AsArray().Single()!["ipAddress"]!.GetValue<string>();
            Assert.StartsWith("172.31.254.", ip, StringComparison.Ordinal);
            Assert.True(ips.Add(ip), "every task has its own address");
            var port = task["ports"]![0]!.GetValue<int>();
            // From the test's host (over the test bridge) to agent:hostPort, and from the agent's namespace to taskIP:containerPort
            // (Marathon's rule: no containerPort = the host port).
            Assert.Equal(GuideImages.HttpiBody, (await Containers.GuideContainerAppsTests.GetAsync($"http://{host.Address}:{port}/")).Trim());
            AssertHttpi(await host.WgetAsync(null, $"http://{ip}:{port}/"));
            // The agent itself reaches the mapped port on loopback too.
            AssertHttpi(await host.WgetAsync(null, $"http://127.0.0.1:{port}/"));
        }
        // One task reaches another, by address and through a host port (hairpin).
        var (first, second) = (tasks[0]!, tasks[1]!);
        var fromNs = NetworkTestHost.TaskNamespace(first);
        var secondIp = second["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>();
        var secondPort = second["ports"]![0]!.GetValue<int>();
        AssertHttpi(await host.WgetAsync(fromNs, $"http://{secondIp}:{secondPort}/"));
        AssertHttpi(await host.WgetAsync(fromNs, $"http://{host.Address}:{secondPort}/"));
        // Marathon's environment: PORT_HTTP, PORT0 and PORTS are the host port.
        var pid = dev.TaskProcesses().First(p => p.TaskId == first["id"]!.GetValue<string>()).Pid;
        var env = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0');
        var firstPort = first["ports"]![0]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("PORT_HTTP=" + firstPort, env);
        Assert.Contains("PORT0=" + firstPort, env);
        Assert.Contains("PORTS=" + firstPort, env);

        await host.DeleteAppAsync("/httpi");
        await Eventually.TrueAsync(async () => await LeftoversAsync(host, dev) == "", TimeSpan.FromSeconds(20), "no veth, mapping or address left");
    }

    [Fact]
    public async Task KillNineOfTheAgent_RunningTasksKeepTheirNetworkAndADeadTasksIsReclaimed()
    {
        NetworkTestHost.Require();
        var definition = JsonNode.Parse(GuideApp("httpi-bridge-vip.json"))!;
        definition["instances"] = 2;
        await using var host = await NetworkTestHost.StartAsync();
        var dev = await host.StartDevAsync();
        Assert.Equal(HttpStatusCode.Created, (await dev.SendAsync(HttpMethod.Post, "/v2/apps", definition.ToJsonString())).Status);
        var tasks = (await NetworkTestHost.WaitForRunningAsync(dev, "/httpi", 2)).Select(t => t!).ToList();
        tasks.ForEach(t => host.SeenNamespaces.Add(NetworkTestHost.TaskNamespace(t)));
        var (survivor, victim) = (tasks[0], tasks[1]);
        var survivorPid = dev.TaskProcesses().First(p => p.TaskId == survivor["id"]!.GetValue<string>()).Pid;
        var victimPid = dev.TaskProcesses().First(p => p.TaskId == victim["id"]!.GetValue<string>()).Pid;

        // kill -9 harrier dev, and while it is down one task dies too.
        await dev.KillHardAsync();
        System.Diagnostics.Process.GetProcessById(victimPid).Kill();
        await Eventually.TrueAsync(() => Task.FromResult(!Directory.Exists($"/proc/{victimPid}")), TimeSpan.FromSeconds(10), "the victim to die");
        await dev.StartProcessAsync();

        // The survivor was re-adopted (same process) with its address and mapping; the victim was replaced, and what it held
        // (namespace, address, mapping) was freed.
        var victimId = victim["id"]!.GetValue<string>();
        var after = await Eventually.WaitAsync(async () =>
        {
            var now = (await dev.GetJsonAsync("/v2/apps/httpi/tasks"))["tasks"]!.AsArray().Select(t => t!).ToList();
            return now.Count == 2 && now.All(t => t["state"]!.GetValue<string>() == "TASK_RUNNING") && now.All(t => t["id"]!.GetValue<string>() != victimId)
                ? now
                : null;
        }, TimeSpan.FromSeconds(90), "the victim to be replaced and both tasks running");
        after.ForEach(t => host.SeenNamespaces.Add(NetworkTestHost.TaskNamespace(t)));
        var again = after.Single(t => t["id"]!.GetValue<string>() == survivor["id"]!.GetValue<string>());
        Assert.Equal(survivorPid, dev.TaskProcesses().First(p => p.TaskId == survivor["id"]!.GetValue<string>()).Pid);
        Assert.Equal(survivor["ipAddresses"]!.ToJsonString(), again["ipAddresses"]!.ToJsonString());
        AssertHttpi(await Containers.GuideContainerAppsTests.GetAsync($"http://{host.Address}:{again["ports"]![0]}/"));
        Assert.DoesNotContain(after, t => t["id"]!.GetValue<string>() == victim["id"]!.GetValue<string>());
        Assert.False(File.Exists("/run/netns/" + NetworkTestHost.TaskNamespace(victim)), "the dead task's namespace is gone");
        var live = after.Select(t => t["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>()).ToHashSet();
        var held = Directory.GetFiles(Path.Combine(dev.DataDir, "agent", "networks", "bridge")).Select(Path.GetFileName).ToHashSet();
        Assert.True(held.SetEquals(live), $"addresses held: {string.Join(",", held)}; live: {string.Join(",", live)}");
        var (_, table) = await host.ExecAsync(null, "nft", "-j", "list", "map", "ip", "harrier", "tcp_ports");
        var mappedPorts = after.Select(t => t["ports"]![0]!.GetValue<int>()).ToHashSet();
        var victimPort = victim["ports"]![0]!.GetValue<int>();
        if (!mappedPorts.Contains(victimPort))
        {
            Assert.DoesNotContain($"[{victimPort}, ", table, StringComparison.Ordinal);
        }
        foreach (var port in mappedPorts)
        {
            Assert.Contains($"[{port}, ", table, StringComparison.Ordinal);
        }
    }

    internal static void AssertHttpi(string answer) =>
        Assert.True(answer.Trim() == GuideImages.HttpiBody, "expected httpi's answer, got: " + answer);

    /// <summary>What the agent still holds for tasks: veths on the bridge, port-map elements, address files ("" = nothing).</summary>
    internal static async Task<string> LeftoversAsync(NetworkTestHost host, HarrierDev dev)
    {
        var (_, links) = await host.ExecAsync(null, "ip", "-o", "link", "show", "master", "harrier0");
        var (_, table) = await host.ExecAsync(null, "nft", "list", "table", "ip", "harrier");
        var mapped = table.Split('\n').Where(l => l.Contains(" : 172.31.254.", StringComparison.Ordinal)).ToList();
        var addresses = Path.Combine(dev.DataDir, "agent", "networks", "bridge");
        var held = Directory.Exists(addresses) ? Directory.GetFiles(addresses) : [];
        return (links.Trim().Length > 0 ? "veths: " + links.Trim() + "; " : "")
            + (mapped.Count > 0 ? "mappings: " + string.Join(",", mapped) + "; " : "")
            + (held.Length > 0 ? "addresses: " + string.Join(",", held.Select(Path.GetFileName)) : "");
    }
}
