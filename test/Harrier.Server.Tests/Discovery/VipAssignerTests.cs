using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Health;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Networks;
using Harrier.Protocol;
using Harrier.Server.Discovery;
using Xunit;

namespace Harrier.Server.Tests.Discovery;

/// <summary>
/// VIPs through the real control loop: an app's <c>VIP_0</c> label becomes a VIP whose backends follow its running
/// tasks (agent address and host port), unhealthy tasks keep weight 0, apps sharing a name share the VIP, and every
/// connected agent is sent the whole set when it changes and when it registers.
/// </summary>
public sealed class VipAssignerTests
{
    private static readonly Ipv4Cidr Range = Ipv4Cidr.Parse("127.77.0.0/16");

    private static Task<TestCluster> StartAsync() => TestCluster.StartAsync(options: new ServerOptions
    {
        ReconcileInterval = TimeSpan.FromMilliseconds(20),
        RandomSeed = 7,
        Discovery = new DiscoveryOptions { VipCidr = Range },
    });

    private static AppSpec App(string id, int instances, string vip, bool healthChecked = false) => TestCluster.App(id, instances) with
    {
        PortDefinitions = new[] { new PortDefinition(0, "http", Labels: new ValueMap<string>(new Dictionary<string, string> { ["VIP_0"] = vip })) },
        HealthChecks = healthChecked ? new[] { new HealthCheckSpec { Protocol = HealthCheckProtocol.Command, Command = "true" } } : ValueList<HealthCheckSpec>.Empty,
    };

    private static VipConfigCommand? LastConfig(FakeAgent agent) => agent.Received.OfType<VipConfigCommand>().LastOrDefault();

    [Fact]
    public async Task NamedVip_FollowsRunningTasks_AndEveryAgentIsTold()
    {
        await using var cluster = await StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway, "a1", hostname: "10.0.0.5");
        await agent.StartAsync();

        await cluster.DeployAsync(App("/web", 3, "/web:80"));
        await cluster.WaitForRunningAsync("/web", 3);

        await cluster.WaitAsync(s => s.Vips.Vips.Values.SingleOrDefault()?.Backends.Length == 3, "a VIP with 3 backends");
        var vip = cluster.Snapshot.Vips.Vips.Values.Single();
        Assert.Equal(("/web", "web.marathon.l4lb.thisdcos.directory", 80, "tcp"), (vip.Label, vip.Name, vip.Port, vip.Protocol));
        Assert.True(Range.Contains(System.Net.IPAddress.Parse(vip.Address)), vip.Address);
        var ports = cluster.InstancesOf("/web").Select(i => i.HostPorts[0]).Order().ToList();
        Assert.Equal(ports, vip.Backends.Select(b => b.Port).Order().ToList());
        Assert.All(vip.Backends, b => Assert.Equal(("10.0.0.5", 1, "a1"), (b.Address, b.Weight, b.Agent!.Value.Value)));
        await Harrier.Testing.Eventually.TrueAsync(() => LastConfig(agent)?.Vips.SingleOrDefault()?.Backends.Count == 3, TimeSpan.FromSeconds(5), "the agent told of 3 backends");
        Assert.Equal(vip.Address, LastConfig(agent)!.Vips.Single().Address);

        // A task that ends leaves the VIP; deleting the app removes it, and the agent is told of an empty set.
        var first = cluster.InstancesOf("/web")[0];
        await agent.ReportAsync(first.TaskId!.Value, TaskState.Failed, "boom");
        await cluster.WaitAsync(s => s.Vips.Vips.Values.Single().Backends.All(b => b.Task != first.TaskId), "the failed task to leave the VIP");
        await cluster.Orchestrator.ExecuteAsync(new Harrier.Server.Commands.DeployAppsCommand([new Harrier.Server.Commands.AppChange(PathId.Parse("/web"), null, Delete: true)], true), CancellationToken.None);
        await cluster.WaitAsync(s => s.Vips.Vips.IsEmpty, "the VIP to go with its app");
        await Harrier.Testing.Eventually.TrueAsync(() => LastConfig(agent)?.Vips.Count == 0, TimeSpan.FromSeconds(5), "the agent told the VIP is gone");
    }

    [Fact]
    public async Task UnhealthyTask_StaysWithWeightZero()
    {
        await using var cluster = await StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway, "a1", hostname: "10.0.0.5");
        await agent.StartAsync();
        await cluster.DeployAsync(App("/web", 2, "/web:80", healthChecked: true));
        await cluster.WaitAsync(s => s.InstancesOf(PathId.Parse("/web")).Count(i => i.Condition == Condition.Running) == 2, "2 running");
        var (good, bad) = (cluster.InstancesOf("/web")[0], cluster.InstancesOf("/web")[1]);
        await agent.ReportPassingAsync(good.TaskId!.Value);
        await agent.ReportHealthAsync(bad.TaskId!.Value, new HealthCheckResult { CheckIndex = 0, ConsecutiveFailures = 1, LastFailure = Harrier.Core.Time.Timestamp.From(DateTimeOffset.UtcNow), LastFailureCause = "down" });

        await cluster.WaitAsync(s => s.Vips.Vips.Values.SingleOrDefault()?.Backends.Any(b => b.Task == bad.TaskId && b.Weight == 0) == true, "the unhealthy task at weight 0");
        Assert.Equal(1, cluster.Snapshot.Vips.Vips.Values.Single().Backends.Single(b => b.Task == good.TaskId).Weight);
    }

    [Fact]
    public async Task TwoAppsSharingAName_ShareOneVip_AndALateAgentGetsTheSet()
    {
        await using var cluster = await StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway, "a1", hostname: "10.0.0.5");
        await agent.StartAsync();
        await cluster.DeployAsync(App("/blue", 1, "/shop:80"));
        await cluster.DeployAsync(App("/green", 2, "/shop:80"));
        await cluster.WaitAsync(s => s.Vips.Vips.Values.SingleOrDefault()?.Backends.Length == 3, "one VIP with both apps' 3 backends");
        Assert.Equal(["/blue", "/green"], cluster.Snapshot.Vips.Vips.Values.Single().Backends.Select(b => b.App.ToString()).Distinct().Order());

        await using var late = new FakeAgent(cluster.Gateway, "a2", hostname: "10.0.0.6");
        await late.StartAsync();
        await Harrier.Testing.Eventually.TrueAsync(() => LastConfig(late)?.Vips.SingleOrDefault()?.Backends.Count == 3, TimeSpan.FromSeconds(5), "the new agent told of the VIP");
    }

    [Fact]
    public async Task IpVip_KeepsItsAddress_AndUdpPortsGetTheirOwn()
    {
        await using var cluster = await StartAsync();
        await using var agent = new FakeAgent(cluster.Gateway, "a1", hostname: "10.0.0.5");
        await agent.StartAsync();
        var app = App("/dns", 1, "10.1.1.1:53") with
        {
            PortDefinitions = new[] { new PortDefinition(0, "dns", "udp,tcp", new ValueMap<string>(new Dictionary<string, string> { ["VIP_0"] = "10.1.1.1:53" })) },
        };
        await cluster.DeployAsync(app);
        await cluster.WaitAsync(s => s.Vips.Vips.Count == 2 && s.Vips.Vips.Values.All(v => v.Backends.Length == 1), "a tcp and a udp VIP");
        Assert.Equal(["10.1.1.1:53/tcp", "10.1.1.1:53/udp"], cluster.Snapshot.Vips.Vips.Keys.Order());
        Assert.All(cluster.Snapshot.Vips.Vips.Values, v => Assert.Null(v.Name));
    }
}
