using System.Net;
using Harrier.E2E.Tests.Networking;
using Harrier.Testing;
using Harrier.Testing.Images;
using Xunit;

namespace Harrier.E2E.Tests.LoadBalancer;

/// <summary>
/// The guide's marathon-lb app (<c>../shared/guide-apps/httpi-bridge-marathon-lb.json</c>) posted unchanged to a real
/// <c>harrier dev</c> in a namespace the test made, and <c>harrier lb --group external</c> run in that namespace as the
/// guide runs marathon-lb on a public agent (ports 80, 443, 9090, 9091): service port 3141 answers httpi's text from
/// every one of the five bridge tasks, and HAProxy, the balancer and the tasks are gone afterwards.
/// </summary>
public sealed class LbGuideAppTests
{
    private const string Backend = "httpi_3141";

    [Fact]
    public async Task GuideMarathonLbApp_Unchanged_ServicePort3141ServesFromAllFiveTasks()
    {
        NetworkTestHost.Require();
        var missing = Requirements.Binary("haproxy") ?? Requirements.Binary("nsenter");
        Assert.SkipWhen(missing is not null, missing ?? "");
        var definition = BridgeNetworkingTests.GuideApp("httpi-bridge-marathon-lb.json");
        await using var host = await NetworkTestHost.StartAsync();
        var dev = await host.StartDevAsync();
        int? haproxyMaster;
        string workDir;
        await using (var lb = await LbProcess.StartInNamespaceAsync(host.Namespace, host.Address, dev.Url, "--group", "external"))
        {
            Assert.Equal(HttpStatusCode.Created, (await dev.SendAsync(HttpMethod.Post, "/v2/apps", definition)).Status);
            var tasks = await NetworkTestHost.WaitForRunningAsync(dev, "/httpi", 5);
            foreach (var task in tasks)
            {
                host.SeenNamespaces.Add(NetworkTestHost.TaskNamespace(task!));
            }
            // The balancer's servers are the tasks' agent address and host ports (bridge networking: marathon-lb's rule),
            // named as marathon-lb names them (the stats CSV's addr column is empty for servers without checks).
            var expected = tasks.Select(t => $"{host.Address.Replace('.', '_')}_{t!["ports"]![0]!.GetValue<int>()}").Order().ToArray();
            IReadOnlyList<StatsServer> listed = [];
            try
            {
                await Eventually.TrueAsync(async () => (listed = await ServersAsync(host)).Select(s => s.Name).Order().SequenceEqual(expected),
                    TimeSpan.FromSeconds(30), $"backend {Backend} to list the five tasks {string.Join(", ", expected)}");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}; listed: {string.Join("; ", listed)}\nlb output:\n{lb.Output}", e);
            }

            // What the guide checks: the service port answers httpi's text, on the balancer's loopback and its address.
            BridgeNetworkingTests.AssertHttpi(await host.WgetAsync(null, "http://127.0.0.1:3141/"));
            BridgeNetworkingTests.AssertHttpi(await host.WgetAsync(null, $"http://{host.Address}:3141/"));

            // Every task serves through it: after 25 more requests (round robin), each of the five servers counts sessions.
            for (var i = 0; i < 25; i++)
            {
                var (code, body) = await host.ExecAsync(null, "/bin/busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:3141/");
                Assert.True(code == 0 && body.Trim() == GuideImages.HttpiBody, $"request {i} through :3141: {body}");
            }
            var servers = await ServersAsync(host);
            Assert.Equal(5, servers.Count);
            Assert.All(servers, s => Assert.True(s.Status is "UP" or "no check" && s.Sessions > 0,
                $"server {s.Name} is {s.Status} with {s.Sessions} sessions; all: {string.Join("; ", servers)}\nlb output:\n{lb.Output}"));
            haproxyMaster = lb.HaproxyMasterPid;
            workDir = lb.WorkDir;
            Assert.NotNull(haproxyMaster);
        }

        // Stopping the balancer stopped its HAProxy: nothing listens on the guide's ports in the namespace any more.
        await Eventually.TrueAsync(() => Task.FromResult(!Directory.Exists($"/proc/{haproxyMaster}")), TimeSpan.FromSeconds(10),
            $"HAProxy master {haproxyMaster} to be gone (reaped) after the balancer stopped");
        Assert.False(Directory.Exists(workDir), $"the balancer's work directory {workDir} is left");
        var (_, listening) = await host.ExecAsync(null, "ss", "-Htln");
        Assert.DoesNotContain(listening.Split('\n'), l => l.Contains(":3141 ", StringComparison.Ordinal) || l.Contains(":9090 ", StringComparison.Ordinal));
        await host.DeleteAppAsync("/httpi");
    }

    /// <summary>The server rows of the guide's backend in HAProxy's stats CSV, read from inside the namespace.</summary>
    private static async Task<IReadOnlyList<StatsServer>> ServersAsync(NetworkTestHost host)
    {
        var csv = await host.WgetAsync(null, "http://127.0.0.1:9090/haproxy?stats;csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("# pxname,", StringComparison.Ordinal))
        {
            return [];
        }
        var header = lines[0][2..].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var (name, status, total) = (Column("svname"), Column("status"), Column("stot"));
        return
        [
            .. lines.Skip(1).Select(l => l.Split(','))
                .Where(f => f[0] == Backend && f[name] is not ("FRONTEND" or "BACKEND"))
                .Select(f => new StatsServer(f[name], f[status], long.TryParse(f[total], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0)),
        ];
    }

    private sealed record StatsServer(string Name, string Status, long Sessions);
}
