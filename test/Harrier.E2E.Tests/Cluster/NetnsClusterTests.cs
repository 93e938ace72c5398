using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Cluster;

/// <summary>A server on the host and agents in their own network namespaces, joined over a bridge.</summary>
public sealed class NetnsClusterTests
{
    [Fact]
    public async Task ClusterConstraint_RackOne_PlacesAllOnRackOneAgents()
    {
        if ((Requirements.Root() ?? Requirements.Binary("ip")) is { } missing)
        {
            Assert.Skip(missing);
        }
        await using var net = await TestNetwork.CreateAsync();
        await using var server = await HarrierDev.StartServerAsync("--http-address", net.HostAddress, "--insecure");
        var agents = new List<HarrierAgentProcess>();
        try
        {
            string[] racks = ["one", "two", "one"];
            for (var i = 0; i < racks.Length; i++)
            {
                var (ns, address) = await net.AddHostAsync(i);
                var agent = new HarrierAgentProcess(server, "n" + i, "--hostname", address, "--attributes", "rack:" + racks[i], "--cpus", "2", "--mem", "1024")
                {
                    Prefix = TestNetwork.Exec(ns),
                };
                agents.Add(agent);
                await agent.StartAsync(expectedAgents: i + 1);
            }

            await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/r1","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":4,"constraints":[["rack","CLUSTER","one"]]}""");
            var tasks = await server.WaitForRunningAsync("/r1", 4);
            var hosts = tasks.Select(t => t!["host"]!.GetValue<string>()).ToHashSet();
            Assert.Subset(new HashSet<string> { $"10.213.{net.Subnet}.2", $"10.213.{net.Subnet}.4" }, hosts);
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Partition_CutVeth_InstanceReplacedElsewhere_HealKillsTheOldTask()
    {
        if ((Requirements.Root() ?? Requirements.Binary("ip")) is { } missing)
        {
            Assert.Skip(missing);
        }
        await using var net = await TestNetwork.CreateAsync();
        await using var server = await HarrierDev.StartServerAsync("--http-address", net.HostAddress, "--insecure", "--agent-timeout", "3");
        var agents = new List<HarrierAgentProcess>();
        try
        {
            var addresses = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                var (ns, address) = await net.AddHostAsync(i);
                addresses.Add(address);
                var agent = new HarrierAgentProcess(server, "p" + i, "--hostname", address, "--cpus", "2", "--mem", "1024") { Prefix = TestNetwork.Exec(ns) };
                agents.Add(agent);
                await agent.StartAsync(expectedAgents: i + 1);
            }
            await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/part","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":1}""");
            var first = (await server.WaitForRunningAsync("/part", 1)).Single()!;
            var cut = addresses.IndexOf(first["host"]!.GetValue<string>());
            var oldTask = first["id"]!.GetValue<string>();
            var oldPids = server.TaskProcesses().Where(t => t.TaskId == oldTask).Select(t => t.Pid).ToList();
            Assert.NotEmpty(oldPids);

            await net.SetLinkAsync(cut, up: false);
            try
            {
                // Lost after 3 s without heartbeats; the default unreachableStrategy replaces the instance at once.
                await Eventually.TrueAsync(async () =>
                {
                    var list = (await server.GetJsonAsync("/v2/apps/part/tasks"))["tasks"]!.AsArray();
                    return list.Count == 1 && list[0]!["host"]!.GetValue<string>() == addresses[1 - cut] && list[0]!["state"]!.GetValue<string>() == "TASK_RUNNING";
                }, TimeSpan.FromSeconds(30), "a replacement on the other agent");
                var lost = (await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray().Single(a => a!["hostname"]!.GetValue<string>() == addresses[cut])!;
                Assert.False(lost["connected"]!.GetValue<bool>());
                Assert.Contains(oldPids, pid => File.Exists($"/proc/{pid}/stat"));
            }
            finally
            {
                await net.SetLinkAsync(cut, up: true);
            }

            // Healed: the agent's heartbeat is refused, it registers again, and the expunged instance's task is killed.
            await Eventually.TrueAsync(
                () => Task.FromResult(!server.TaskProcesses().Any(t => t.TaskId == oldTask)),
                TimeSpan.FromSeconds(60),
                "the old task to be killed after the heal");
            await Eventually.TrueAsync(
                async () => (await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray().All(a => a!["connected"]!.GetValue<bool>()),
                TimeSpan.FromSeconds(30),
                "both agents connected again");
            Assert.Single((await server.GetJsonAsync("/v2/apps/part/tasks"))["tasks"]!.AsArray());
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task GroupByRack_SixOnThreeRacks_TwoPerRack_ScaleToThreeKeepsOnePerRack()
    {
        if ((Requirements.Root() ?? Requirements.Binary("ip")) is { } missing)
        {
            Assert.Skip(missing);
        }
        await using var net = await TestNetwork.CreateAsync();
        await using var server = await HarrierDev.StartServerAsync("--http-address", net.HostAddress, "--insecure");
        var agents = new List<HarrierAgentProcess>();
        var rackOf = new Dictionary<string, string>();
        try
        {
            string[] racks = ["a", "b", "c", "a", "b", "c"];
            for (var i = 0; i < racks.Length; i++)
            {
                var (ns, address) = await net.AddHostAsync(i);
                rackOf[address] = racks[i];
                var agent = new HarrierAgentProcess(server, "g" + i, "--hostname", address, "--attributes", "rack:" + racks[i], "--cpus", "2", "--mem", "1024") { Prefix = TestNetwork.Exec(ns) };
                agents.Add(agent);
                await agent.StartAsync(expectedAgents: i + 1);
            }

            await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/spread","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":6,"constraints":[["rack","GROUP_BY","3"]]}""");
            var six = await server.WaitForRunningAsync("/spread", 6);
            Assert.Equal([2, 2, 2], PerRack(six, rackOf));

            await server.SendAsync(HttpMethod.Put, "/v2/apps/spread", """{"instances":3}""");
            var three = await server.WaitForRunningAsync("/spread", 3);
            Assert.Equal([1, 1, 1], PerRack(three, rackOf));
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private static int[] PerRack(System.Text.Json.Nodes.JsonArray tasks, Dictionary<string, string> rackOf) =>
        [.. tasks.GroupBy(t => rackOf[t!["host"]!.GetValue<string>()]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Count())];
}
