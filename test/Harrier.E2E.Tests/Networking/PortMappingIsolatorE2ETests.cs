using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Networking;

/// <summary>
/// <c>harrier dev --isolation network/port_mapping</c> in a namespace the test made: a plain host-mode app (busybox
/// httpd on $PORT0) gets a namespace of its own sharing the agent's address, answers on the agent's address and host
/// port, reports Mesos' network statistics, and leaves nothing behind — after a kill -9 of the agent while its task
/// died, and after the app is deleted.
/// </summary>
public sealed class PortMappingIsolatorE2ETests
{
    private const string App = """
        {"id": "/pm", "instances": 1, "cpus": 0.1, "mem": 32, "portDefinitions": [{"port": 0}],
         "cmd": "mkdir -p www && echo hello-pm > www/index.html && head -c 300000 /dev/zero > www/big && exec /bin/busybox httpd -f -p $PORT0 -h www"}
        """;

    [Fact]
    public async Task HostModeApp_WithPortMappingIsolator_ReachableMeasuredAndReclaimedAfterKill9()
    {
        NetworkTestHost.Require();
        await using var host = await NetworkTestHost.StartAsync();
        var dev = await host.StartDevAsync(
            "--isolation", "cgroups/cpu,cgroups/mem,network/port_mapping", "--resources", "ports:[31000-32000];ephemeral_ports:[20480-22527]",
            "--ephemeral-ports-per-container", "512", "--egress-rate-limit-per-container", "10MB", "--network-enable-socket-statistics");

        Assert.Equal(HttpStatusCode.Created, (await dev.SendAsync(HttpMethod.Post, "/v2/apps", App)).Status);
        var task = (await NetworkTestHost.WaitForRunningAsync(dev, "/pm", 1))[0]!;
        var taskId = task["id"]!.GetValue<string>();
        var ns = NetworkTestHost.TaskNamespace(task);
        host.SeenNamespaces.Add(ns);
        Assert.True(File.Exists("/run/netns/" + ns), "a host-mode task gets a namespace of its own");
        var (_, inside) = await host.ExecAsync(ns, "ip", "-4", "-o", "addr", "show", "dev", "eth0");
        Assert.Contains(host.Address + "/", inside, StringComparison.Ordinal);

        var port = task["ports"]![0]!.GetValue<int>();
        Assert.Equal("hello-pm", (await Containers.GuideContainerAppsTests.GetAsync($"http://{host.Address}:{port}/")).Trim());
        Assert.Equal("hello-pm", (await host.WgetAsync(null, $"http://127.0.0.1:{port}/")).Trim());
        Assert.Equal(300000, (await Containers.GuideContainerAppsTests.GetAsync($"http://{host.Address}:{port}/big")).Length);

        var agent = task["slaveId"]!.GetValue<string>();
        var stats = (await dev.GetJsonAsync($"/agent/{agent}/monitor/statistics")).AsArray().Single(e => e!["executor_id"]!.GetValue<string>() == taskId)!["statistics"]!;
        Assert.True(stats["net_tx_bytes"]!.GetValue<long>() >= 300000, stats.ToJsonString());
        Assert.True(stats["net_rx_packets"]!.GetValue<long>() > 0, stats.ToJsonString());
        Assert.NotNull(stats["net_rx_dropped"]);
        Assert.Equal("bw_limit", stats["net_traffic_control_statistics"]![0]!["id"]!.GetValue<string>());
        Assert.NotNull(stats["net_tcp_active_connections"]);

        // kill -9 of the agent, and the task dies while it is down: a restarted agent frees all it held.
        var pids = dev.TaskProcesses().Where(p => p.TaskId == taskId).Select(p => p.Pid).ToList();
        Assert.NotEmpty(pids);
        await dev.KillHardAsync();
        foreach (var pid in pids)
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                p.Kill();
                await p.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
            catch (ArgumentException)
            {
                // Gone with its parent already.
            }
        }
        await dev.StartProcessAsync();
        var relaunched = await Eventually.WaitAsync(async () =>
        {
            var tasks = (await dev.GetJsonAsync("/v2/apps/pm/tasks"))["tasks"]!.AsArray();
            return tasks.FirstOrDefault(t => t!["id"]!.GetValue<string>() != taskId && t["state"]!.GetValue<string>() == "TASK_RUNNING");
        }, TimeSpan.FromSeconds(90), "the app relaunched after the agent came back");
        host.SeenNamespaces.Add(NetworkTestHost.TaskNamespace(relaunched));
        Assert.False(File.Exists("/run/netns/" + ns), "the dead task's namespace is gone");
        Assert.DoesNotContain(Veth(taskId), await HostStateAsync(host, dev));
        Assert.Single(EphemeralFiles(dev));
        var newPort = relaunched["ports"]![0]!.GetValue<int>();
        Assert.Equal("hello-pm", (await Containers.GuideContainerAppsTests.GetAsync($"http://{host.Address}:{newPort}/")).Trim());

        await host.DeleteAppAsync("/pm");
        await Eventually.TrueAsync(async () => await HostStateAsync(host, dev) == "" && EphemeralFiles(dev).Length == 0,
            TimeSpan.FromSeconds(20), "no veth, tc filter, nft rule or ephemeral range left");
    }

    /// <summary>What the isolator left in the agent's namespace: hv* veths, filters on eth0/lo ingress, its nft table ("" = nothing).</summary>
    private static async Task<string> HostStateAsync(NetworkTestHost host, HarrierDev dev)
    {
        var (_, links) = await host.ExecAsync(null, "ip", "-o", "link", "show");
        var veths = links.Split('\n').Where(l => l.Contains(": hv", StringComparison.Ordinal)).Select(l => l.Split(':')[1].Trim().Split('@')[0]);
        var (_, eth0) = await host.ExecAsync(null, "tc", "filter", "show", "dev", "eth0", "ingress");
        var (_, lo) = await host.ExecAsync(null, "tc", "filter", "show", "dev", "lo", "ingress");
        var (_, nft) = await host.ExecAsync(null, "nft", "list", "tables");
        return string.Join(' ', veths)
            + (eth0.Trim().Length > 0 ? " eth0 filters: " + eth0.Trim() : "")
            + (lo.Trim().Length > 0 ? " lo filters: " + lo.Trim() : "")
            + (nft.Contains("harrier_isolation", StringComparison.Ordinal) ? " nft: harrier_isolation" : "");
    }

    private static string[] EphemeralFiles(HarrierDev dev)
    {
        var dir = Path.Combine(dev.DataDir, "agent", "networks", "ephemeral-ports");
        return Directory.Exists(dir) ? Directory.GetFiles(dir) : [];
    }

    private static string Veth(string taskId) => "hv" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(taskId)))[..10] + "0";
}
