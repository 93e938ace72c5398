using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Health;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Server.Discovery;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Harrier.Server.Tests.Discovery;

/// <summary>
/// The discovery catalog on the real control loop: the zone follows the published snapshots (a task's names come with
/// TASK_RUNNING and go when it ends), <c>--dns-only-healthy</c> hides unhealthy tasks, and named VIPs resolve by their
/// l4lb name.
/// </summary>
public sealed class DiscoveryCatalogTests
{
    private static async Task<(TestCluster Cluster, DiscoveryCatalog Catalog, CancellationTokenSource Stop)> StartAsync(bool onlyHealthy = false)
    {
        var options = new ServerOptions
        {
            ReconcileInterval = TimeSpan.FromMilliseconds(20),
            RandomSeed = 7,
            Advertise = "10.0.0.1:8080",
            Discovery = new DiscoveryOptions { OnlyHealthy = onlyHealthy, VipCidr = Harrier.Core.Networks.Ipv4Cidr.Parse("127.77.0.0/16") },
        };
        var catalog = new DiscoveryCatalog(options, NullLogger<DiscoveryCatalog>.Instance);
        var stop = new CancellationTokenSource();
        await catalog.StartAsync(stop.Token);
        return (await TestCluster.StartAsync(options: options, observers: [catalog]), catalog, stop);
    }

    private static Task WaitForAsync(DiscoveryCatalog catalog, Func<DiscoveryCatalog, bool> condition, string what) =>
        Harrier.Testing.Eventually.TrueAsync(() => condition(catalog), TimeSpan.FromSeconds(10), what);

    private static int Srv(DiscoveryCatalog catalog, string name) =>
        catalog.Current.TryGet(name, out var records) ? records.Srv.Count : 0;

    [Fact]
    public async Task Zone_FollowsTasks_FromRunningToGone()
    {
        var (cluster, catalog, stop) = await StartAsync();
        await using var owned = cluster;
        using var stopping = stop;
        await using var agent = new FakeAgent(cluster.Gateway, "a1", hostname: "10.0.0.5");
        await agent.StartAsync();

        // The catalog builds its zone from the first snapshot it is given, which the control loop publishes on its own
        // schedule: wait for it rather than assume it came before the agent registered.
        await WaitForAsync(catalog, c => c.Current.TryGet("leader.mesos.", out _), "the leader's name");
        Assert.True(catalog.Current.TryGet("leader.mesos.", out var leader));
        Assert.Equal("10.0.0.1", Assert.Single(leader.A).ToString());

        await cluster.DeployAsync(TestCluster.App("/prod/web", 2) with
        {
            PortDefinitions = new[] { new PortDefinition(0, "http", Labels: new ValueMap<string>(new Dictionary<string, string> { ["VIP_0"] = "/web:80" })) },
        });
        await cluster.WaitForRunningAsync("/prod/web", 2);
        await WaitForAsync(catalog, c => Srv(c, "_web-prod._tcp.marathon.mesos.") == 2, "2 SRV records");
        Assert.True(catalog.Current.TryGet("web-prod.marathon.mesos.", out var web));
        Assert.Equal("10.0.0.5", Assert.Single(web.A).ToString());
        Assert.Equal(2, Srv(catalog, "_http._web-prod._tcp.marathon.mesos."));
        await WaitForAsync(catalog, c => c.Current.TryGet("web.marathon.l4lb.thisdcos.directory.", out _), "the VIP's l4lb name");
        Assert.Equal("thisdcos.directory.", catalog.Current.AuthorityFor("web.marathon.l4lb.thisdcos.directory.")!.Origin);

        var first = cluster.InstancesOf("/prod/web")[0];
        await agent.ReportAsync(first.TaskId!.Value, TaskState.Finished);
        await WaitForAsync(catalog, c => Srv(c, "_web-prod._tcp.marathon.mesos.") == 1, "the finished task's SRV record to go");

        await cluster.Orchestrator.ExecuteAsync(new Harrier.Server.Commands.DeployAppsCommand([new Harrier.Server.Commands.AppChange(PathId.Parse("/prod/web"), null, Delete: true)], true), CancellationToken.None);
        await WaitForAsync(catalog, c => !c.Current.TryGet("web-prod.marathon.mesos.", out _) && !c.Current.TryGet("web.marathon.l4lb.thisdcos.directory.", out _), "the app's names to go");
        await catalog.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task OnlyHealthy_UnhealthyTaskHasNoName()
    {
        var (cluster, catalog, stop) = await StartAsync(onlyHealthy: true);
        await using var owned = cluster;
        using var stopping = stop;
        await using var agent = new FakeAgent(cluster.Gateway, "a1", hostname: "10.0.0.5");
        await agent.StartAsync();
        await cluster.DeployAsync(TestCluster.App("/web", 2) with
        {
            HealthChecks = new[] { new HealthCheckSpec { Protocol = HealthCheckProtocol.Command, Command = "true" } },
        });
        await cluster.WaitAsync(s => s.InstancesOf(PathId.Parse("/web")).Count(i => i.Condition == Condition.Running) == 2, "2 running");
        // Not yet checked: no names.
        await Task.Delay(200);
        Assert.Equal(0, Srv(catalog, "_web._tcp.marathon.mesos."));

        var (good, bad) = (cluster.InstancesOf("/web")[0], cluster.InstancesOf("/web")[1]);
        await agent.ReportPassingAsync(good.TaskId!.Value);
        await agent.ReportHealthAsync(bad.TaskId!.Value, new HealthCheckResult { CheckIndex = 0, ConsecutiveFailures = 1, LastFailure = Harrier.Core.Time.Timestamp.From(DateTimeOffset.UtcNow), LastFailureCause = "down" });
        await WaitForAsync(catalog, c => Srv(c, "_web._tcp.marathon.mesos.") == 1, "only the healthy task named");
        await agent.ReportPassingAsync(bad.TaskId!.Value);
        await WaitForAsync(catalog, c => Srv(c, "_web._tcp.marathon.mesos.") == 2, "both named once healthy");
        await catalog.StopAsync(CancellationToken.None);
    }
}
