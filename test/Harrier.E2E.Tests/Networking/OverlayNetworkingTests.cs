using System.Net;
using System.Text.Json.Nodes;
using Harrier.E2E.Tests.Cluster;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Networking;

/// <summary>
/// The built-in <c>dcos</c> overlay: the networking guide's overlay app unchanged on one host, and tasks on three agents
/// (three namespaces joined by a test bridge: the underlay) reaching each other by overlay address across VXLAN, with an
/// agent leaving and coming back. Overlay routes exist only inside the test's namespaces.
/// </summary>
public sealed class OverlayNetworkingTests
{
    [Fact]
    public async Task HttpiOverlay_Unchanged_EachTaskHasAnOverlayAddressAndAnswersOn3141()
    {
        NetworkTestHost.Require();
        var definition = BridgeNetworkingTests.GuideApp("httpi-overlay.json");
        await using var host = await NetworkTestHost.StartAsync();
        var dev = await host.StartDevAsync();

        Assert.Equal(HttpStatusCode.Created, (await dev.SendAsync(HttpMethod.Post, "/v2/apps", definition)).Status);
        var tasks = await NetworkTestHost.WaitForRunningAsync(dev, "/httpi", 5);
        var ips = new HashSet<string>();
        foreach (var task in tasks.Select(t => t!))
        {
            host.SeenNamespaces.Add(NetworkTestHost.TaskNamespace(task));
            var ip = task["ipAddresses"]!.AsArray().Single()!["ipAddress"]!.GetValue<string>();
            Assert.StartsWith("10.200.0.", ip, StringComparison.Ordinal);
            Assert.True(ips.Add(ip));
            Assert.Empty(task["ports"]!.AsArray());
            BridgeNetworkingTests.AssertHttpi(await host.WgetAsync(null, $"http://{ip}:3141/"));
        }
        var first = tasks[0]!;
        var otherIp = tasks[1]!["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>();
        BridgeNetworkingTests.AssertHttpi(await host.WgetAsync(NetworkTestHost.TaskNamespace(first), $"http://{otherIp}:3141/"));
        // Overlay traffic stays inside Harrier's devices: a task's address is routed onto its own veth, with no bridge.
        var (_, route) = await host.ExecAsync(null, "ip", "route", "get", ips.First());
        Assert.Matches(@"dev hv[0-9a-f]{11}\b", route);
        var (_, bridges) = await host.ExecAsync(null, "ip", "-o", "link", "show", "type", "bridge");
        Assert.DoesNotContain("hov", bridges, StringComparison.Ordinal);
        // An address of this agent's slice no task holds, and one of the overlay no agent holds, are unreachable rather
        // than sent out of the default route.
        foreach (var address in (string[])["10.200.0.77", "10.200.200.1"])
        {
            var (code, stray) = await host.ExecAsync(null, "ip", "route", "get", address);
            Assert.True(code != 0 && stray.Contains("No route to host", StringComparison.Ordinal), stray);
        }

        await host.DeleteAppAsync("/httpi");
        var overlayAddresses = Directory.GetDirectories(Path.Combine(dev.DataDir, "agent", "networks"), "overlay-*").SelectMany(Directory.GetFiles).ToList();
        Assert.Empty(overlayAddresses);
    }

    [Fact]
    public async Task ThreeAgents_TasksReachEachOtherAcrossAgents_AndAnAgentLeavesAndComesBack()
    {
        if ((NetnsCluster.Missing() ?? Requirements.Binary("nft") ?? Requirements.Missing(File.Exists("/bin/busybox"), "busybox-static (/bin/busybox)")) is { } missing)
        {
            Assert.Skip(missing);
        }
        var before = NetworkTestHost.TaskNamespaces();
        await using var cluster = await NetnsCluster.StartWithHostMountsAsync(3, "--agent-timeout", "3");
        try
        {
            const string app = """
                {"id": "/ovl", "instances": 3, "cpus": 0.1, "mem": 16, "constraints": [["hostname", "UNIQUE"]], "unreachableStrategy": "disabled",
                 "cmd": "mkdir -p www && echo \"$MESOS_TASK_ID\" > www/index.html && exec /bin/busybox httpd -f -p 3141 -h www",
                 "networks": [{"mode": "container", "name": "dcos"}],
                 "container": {"type": "MESOS", "portMappings": [{"containerPort": 3141, "name": "http"}]}}
                """;
            Assert.Equal(HttpStatusCode.Created, (await cluster.Server.SendAsync(HttpMethod.Post, "/v2/apps", app)).Status);
            JsonArray tasks;
            try
            {
                tasks = await NetworkTestHost.WaitForRunningAsync(cluster.Server, "/ovl", 3);
            }
            catch (TimeoutException e)
            {
                var queue = (await cluster.Server.GetJsonAsync("/v2/queue")).ToJsonString();
                throw new TimeoutException(e.Message + "; queue: " + queue + "; agents: " + string.Join("\n---\n", cluster.Agents.Select(a => a.Output)), e);
            }
            var byHost = tasks.Select(t => t!).ToDictionary(t => t["host"]!.GetValue<string>(), t => t);
            var slices = byHost.Values.Select(t => t["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>()).Select(ip => ip[..ip.LastIndexOf('.')]).ToHashSet();
            Assert.Equal(3, slices.Count);

            // From every agent's namespace to every task, and from the task on agent 0 to the one on agent 2.
            for (var i = 0; i < 3; i++)
            {
                foreach (var task in byHost.Values)
                {
                    var ip = task["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>();
                    Assert.Contains(task["id"]!.GetValue<string>(), await WgetAsync($"hrt-{cluster.Net.Bridge}-{i}", $"http://{ip}:3141/"), StringComparison.Ordinal);
                }
            }
            var onFirst = byHost[cluster.Addresses[0]];
            var onLast = byHost[cluster.Addresses[2]];
            var lastIp = onLast["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>();
            var answer = await WgetAsync(NetworkTestHost.TaskNamespace(onFirst), $"http://{lastIp}:3141/");
            Assert.True(answer.Contains(onLast["id"]!.GetValue<string>(), StringComparison.Ordinal), answer);

            // Agent 2 leaves: the others drop its route; it comes back: the route returns and its task is reachable again.
            var lastSlice = lastIp[..lastIp.LastIndexOf('.')] + ".0/24";
            await cluster.Agents[2].KillHardAsync();
            await Eventually.TrueAsync(async () => !(await RoutesAsync($"hrt-{cluster.Net.Bridge}-0")).Contains(lastSlice, StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "agent 0 to drop the route to the lost agent's slice");
            await cluster.Agents[2].StartAsync(expectedAgents: 3);
            await Eventually.TrueAsync(async () => (await RoutesAsync($"hrt-{cluster.Net.Bridge}-0")).Contains(lastSlice, StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "agent 0 to route to the returning agent's slice again");
            Assert.Contains(onLast["id"]!.GetValue<string>(), await WgetAsync($"hrt-{cluster.Net.Bridge}-0", $"http://{lastIp}:3141/"), StringComparison.Ordinal);
            // The agents list shows each agent's slice.
            var (code, output, _) = await cluster.Server.RunCliAsync("agent", "list");
            Assert.Equal(0, code);
            Assert.Contains(lastSlice, output, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var ns in NetworkTestHost.TaskNamespaces().Except(before))
            {
                using var p = System.Diagnostics.Process.Start("ip", ["netns", "del", ns]);
                await p.WaitForExitAsync();
            }
        }
    }

    private static Task<string> WgetAsync(string ns, string url) => NetworkTestHost.WgetInAsync(ns, url);

    private static async Task<string> RoutesAsync(string ns) => (await NetworkTestHost.ExecInAsync(ns, "ip", "route")).Out;
}
