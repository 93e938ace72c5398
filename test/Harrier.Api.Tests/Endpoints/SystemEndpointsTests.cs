using System.Net.Http.Headers;
using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

public sealed class SystemEndpointsTests
{
    [Fact]
    public async Task Agents_WithRunningTasks_ShowTotalUsedAndFreeResources()
    {
        await using var api = await ApiHost.StartAsync(agentPortsEnd: 31009);
        await api.SendAsync("POST", "/v2/apps", """{"id":"/a","cmd":"sleep 1000","instances":2,"cpus":0.5,"mem":100,"disk":10}""");
        await api.WaitForRunningAsync("/a", 2);

        var agent = Assert.Single((await api.GetAsync("/v2/agents"))["agents"]!.AsArray())!;
        Assert.Equal("127.0.0.1", agent["hostname"]!.GetValue<string>());
        Assert.Equal("*", agent["role"]!.GetValue<string>());
        Assert.True(agent["connected"]!.GetValue<bool>());
        Assert.Equal(2, agent["tasks"]!.GetValue<int>());
        Assert.Equal(4.0, agent["resources"]!["cpus"]!.GetValue<double>());
        Assert.Equal(10, agent["resources"]!["ports"]!.GetValue<int>());
        Assert.Equal(1.0, agent["used"]!["cpus"]!.GetValue<double>());
        Assert.Equal(200.0, agent["used"]!["mem"]!.GetValue<double>());
        Assert.Equal(2, agent["used"]!["ports"]!.GetValue<int>());
        Assert.Equal(3.0, agent["free"]!["cpus"]!.GetValue<double>());
        Assert.Equal(3896.0, agent["free"]!["mem"]!.GetValue<double>());
        Assert.Equal(8, agent["free"]!["ports"]!.GetValue<int>());
        Assert.Equal("[31000-31009]", agent["portRanges"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Constraints_AgainstAgentAttributes_PlaceOrSayWhichConstraintExcludedTheAgent()
    {
        await using var api = await ApiHost.StartAsync(agent: a => a.Attributes = new Dictionary<string, string> { ["rack"] = "one" });
        var agents = await api.GetAsync("/v2/agents");
        Assert.Equal("one", agents["agents"]![0]!["attributes"]!["rack"]!.GetValue<string>());

        await api.SendAsync("POST", "/v2/apps", """{"id":"/fits","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8,"constraints":[["rack","CLUSTER","one"]]}""");
        await api.WaitForRunningAsync("/fits", 1);

        await api.SendAsync("POST", "/v2/apps", """{"id":"/elsewhere","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8,"constraints":[["rack","CLUSTER","two"]]}""");
        var reason = await Eventually.WaitAsync(
            async () => (await api.GetHarrierAsync("/v2/queue"))["queue"]!.AsArray().FirstOrDefault(q => q!["app"]!["id"]!.GetValue<string>() == "/elsewhere")?["reason"],
            TimeSpan.FromSeconds(10),
            "the queue's reason for /elsewhere");
        Assert.Equal("UnfulfilledConstraint", reason["type"]!.GetValue<string>());
        Assert.Equal("no agent can take it: UnfulfilledConstraint (1); rack:CLUSTER:two excludes 1 of 1 agents", reason["message"]!.GetValue<string>());
        Assert.Equal("rack:CLUSTER:two=1", reason["constraints"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/harrier/v1/agents/register", "{\"protocolVersion\":\"two\"}")]
    [InlineData("/harrier/v1/agents/status", "not json")]
    [InlineData("/harrier/v1/agents/health", "[]")]
    public async Task AgentProtocol_MalformedMessage_Is400NotA500(string path, string body)
    {
        await using var api = await ApiHost.StartAsync();
        var session = await api.RegisterRemoteAgentAsync("remote-1");
        var (status, answer, _) = await api.SendAsync("POST", path, body, session);
        Assert.Equal(400, status);
        Assert.StartsWith("Invalid ", answer!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InfoLeaderPingMetrics_AnswerAsMarathon()
    {
        await using var api = await ApiHost.StartAsync();
        var info = await api.GetAsync("/v2/info");
        Assert.Equal("marathon", info["name"]!.GetValue<string>());
        Assert.True(info["elected"]!.GetValue<bool>());
        Assert.Equal(10000, info["marathon_config"]!["local_port_min"]!.GetValue<int>());
        Assert.NotNull((await api.GetAsync("/v2/leader"))["leader"]);

        Assert.Equal("pong", await api.Client.GetStringAsync("/ping"));
        using var json = new HttpRequestMessage(HttpMethod.Get, "/ping");
        json.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Assert.Equal("\"pong\"", await (await api.Client.SendAsync(json)).Content.ReadAsStringAsync());
        using var other = new HttpRequestMessage(HttpMethod.Get, "/ping");
        other.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
        Assert.Equal(204, (int)(await api.Client.SendAsync(other)).StatusCode);

        await api.SendAsync("POST", "/v2/apps", """{"id":"/m","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8}""");
        await api.WaitForRunningAsync("/m", 1);
        var metrics = await api.Client.GetStringAsync("/metrics");
        Assert.Contains("# TYPE harrier_apps gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("harrier_apps 1", metrics, StringComparison.Ordinal);
        Assert.Contains("harrier_instances{condition=\"Running\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("harrier_http_request_duration_seconds_count{", metrics, StringComparison.Ordinal);
        // The runtime's own meter: how often the GC ran, how long it paused the process, CPU used.
        Assert.Contains("# TYPE dotnet_gc_collections counter", metrics, StringComparison.Ordinal);
        Assert.Matches("(?m)^dotnet_gc_collections\\{gc_heap_generation=\"gen0\"\\} [0-9]+$", metrics);
        Assert.Matches("(?m)^dotnet_gc_pause_time [0-9.eE+-]+$", metrics);
        Assert.Matches("(?m)^dotnet_process_cpu_time\\{cpu_mode=\"user\"\\} [0-9.eE+-]+$", metrics);
    }

    [Fact]
    public async Task UnknownRoute_Is404Json_QueueDelayResetIs204()
    {
        await using var api = await ApiHost.StartAsync();
        var (status, body, _) = await api.SendAsync("GET", "/v2/nothing");
        Assert.Equal(404, status);
        Assert.NotNull(body!["message"]);
        var (delayStatus, delayBody, _) = await api.SendAsync("DELETE", "/v2/queue/none/delay");
        Assert.Equal(404, delayStatus);
        Assert.Equal("Application /none not found in tasks queue.", delayBody!["message"]!.GetValue<string>());
    }
}
