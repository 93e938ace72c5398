using System.Net;
using Harrier.E2E.Tests.Cluster;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Networking;

/// <summary>
/// A VIP with backends on two agents (each in its own namespace, joined by the overlay): the tasks are on the
/// <c>dcos</c> overlay without host ports, so the backends are their overlay addresses, and connections to the VIP
/// from either agent reach both tasks; scaling to one leaves the VIP with that one on every agent.
/// </summary>
public sealed class VipAcrossAgentsTests
{
    private const string App = """
        {"id": "/ovlvip", "instances": 2, "cpus": 0.1, "mem": 16, "constraints": [["hostname", "UNIQUE"]],
         "cmd": "mkdir -p www && echo \"$MESOS_TASK_ID\" > www/index.html && exec /bin/busybox httpd -f -p 3141 -h www",
         "networks": [{"mode": "container", "name": "dcos"}],
         "container": {"type": "MESOS", "portMappings": [{"containerPort": 3141, "name": "http", "labels": {"VIP_0": "/ovlvip:3141"}}]}}
        """;

    [Fact]
    public async Task OverlayTasksOnTwoAgents_VipFromEitherAgentReachesBoth()
    {
        if ((NetnsCluster.Missing() ?? Requirements.Binary("nft")) is { } missing)
        {
            Assert.Skip(missing);
        }
        var before = NetworkTestHost.TaskNamespaces();
        await using var cluster = await NetnsCluster.StartWithHostMountsAsync(2);
        try
        {
            Assert.Equal(HttpStatusCode.Created, (await cluster.Server.SendAsync(HttpMethod.Post, "/v2/apps", App)).Status);
            var tasks = await NetworkTestHost.WaitForRunningAsync(cluster.Server, "/ovlvip", 2);
            var ids = tasks.Select(t => t!["id"]!.GetValue<string>()).Order().ToArray();
            var overlayIps = tasks.Select(t => t!["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>()).Order().ToArray();
            await Eventually.TrueAsync(async () => (await cluster.Server.GetJsonAsync("/v1/vips")).AsArray().SingleOrDefault()?["backend"]!.AsArray().Count == 2,
                TimeSpan.FromSeconds(10), "the VIP with both tasks");
            var vip = (await cluster.Server.GetJsonAsync("/v1/vips"))[0]!;
            Assert.Equal(overlayIps, vip["backend"]!.AsArray().Select(b => b!["ip"]!.GetValue<string>()).Order().ToArray());
            Assert.All(vip["backend"]!.AsArray(), b => Assert.Equal(3141, b!["port"]!.GetValue<int>()));
            var url = $"http://{vip["ip"]!.GetValue<string>()}:3141/";

            for (var agent = 0; agent < 2; agent++)
            {
                var ns = $"hrt-{cluster.Net.Bridge}-{agent}";
                Assert.Equal(ids, await NetworkTestHost.DistinctBodiesAsync(ns, url, 2, 40));
            }

            // Scale to one: every agent sends new connections to the one left.
            await cluster.Server.SendAsync(HttpMethod.Put, "/v2/apps/ovlvip?force=true", """{"instances":1}""");
            var left = (await NetworkTestHost.WaitForRunningAsync(cluster.Server, "/ovlvip", 1))[0]!["id"]!.GetValue<string>();
            await Eventually.TrueAsync(async () => (await cluster.Server.GetJsonAsync("/v1/vips"))[0]!["backend"]!.AsArray().Count == 1, TimeSpan.FromSeconds(5), "one backend");
            for (var agent = 0; agent < 2; agent++)
            {
                var ns = $"hrt-{cluster.Net.Bridge}-{agent}";
                await Eventually.TrueAsync(async () => (await NetworkTestHost.DistinctBodiesAsync(ns, url, 2, 6)).SequenceEqual([left]), TimeSpan.FromSeconds(5), $"agent {agent} to send only to {left}");
            }
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
}
