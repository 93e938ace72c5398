using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Cluster;

/// <summary>
/// A <c>harrier server</c> bound on a <see cref="TestNetwork"/> bridge plus one agent per network namespace. Disposing
/// stops the agents (removing the apps first), then the server, then removes the namespaces and the bridge.
/// </summary>
public sealed class NetnsCluster : IAsyncDisposable
{
    private NetnsCluster(TestNetwork net, HarrierDev server)
    {
        Net = net;
        Server = server;
    }

    public TestNetwork Net { get; }
    public HarrierDev Server { get; }
    public List<HarrierAgentProcess> Agents { get; } = [];
    public List<string> Addresses { get; } = [];

    /// <summary>Null when root and <c>ip</c> are there, else why the test cannot run.</summary>
    public static string? Missing() => Requirements.Root() ?? Requirements.Binary("ip");

    public static Task<NetnsCluster> StartAsync(int agents, params string[] serverArgs) => StartAsync(agents, TestNetwork.Exec, serverArgs);

    /// <summary>Agents entered into their namespaces with <c>nsenter --net</c> (the machine's mounts: cgroups for containers,
    /// and the task namespaces they make under /run/netns visible to the test) instead of <c>ip netns exec</c>.</summary>
    public static Task<NetnsCluster> StartWithHostMountsAsync(int agents, params string[] serverArgs) =>
        StartAsync(agents, ns => ["nsenter", "--net=/run/netns/" + ns, "--"], serverArgs);

    private static async Task<NetnsCluster> StartAsync(int agents, Func<string, string[]> enter, string[] serverArgs)
    {
        var net = await TestNetwork.CreateAsync();
        HarrierDev? server = null;
        try
        {
            // The server listens on the test's own bridge, which only its namespaces reach: --insecure, as a
            // non-loopback address otherwise refuses to start without authentication.
            server = await HarrierDev.StartServerAsync(["--http-address", net.HostAddress, "--insecure", .. serverArgs]);
            var cluster = new NetnsCluster(net, server);
            try
            {
                for (var i = 0; i < agents; i++)
                {
                    var (ns, address) = await net.AddHostAsync(i);
                    var agent = new HarrierAgentProcess(server, "h" + i, "--hostname", address, "--cpus", "2", "--mem", "1024") { Prefix = enter(ns) };
                    cluster.Agents.Add(agent);
                    cluster.Addresses.Add(address);
                    await agent.StartAsync(expectedAgents: i + 1);
                }
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }
        catch when (server is null)
        {
            await net.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonArray> TasksAsync(string appId) => (await Server.GetJsonAsync($"/v2/apps{appId}/tasks"))["tasks"]!.AsArray();

    public async Task<JsonArray> AgentsAsync() => (await Server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray();

    /// <summary>Live process ids of one task on this machine (any namespace: /proc sees them all).</summary>
    public List<int> PidsOf(string taskId) => [.. Server.TaskProcesses().Where(t => t.TaskId == taskId).Select(t => t.Pid).Order()];

    public static string Str(JsonNode? node, string field) => node![field]!.GetValue<string>();

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var agent in Agents)
            {
                await agent.DisposeAsync();
            }
            await Server.DisposeAsync();
        }
        finally
        {
            await Net.DisposeAsync();
        }
    }
}
