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
        await using var server = await HarrierDev.StartServerAsync("--http-address", net.HostAddress);
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
}
