using System.Text.Json.Nodes;
using Harrier.Cli.Tests.Fakes;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

public sealed class ClusterCommandTests
{
    [Fact]
    public async Task DeploymentList_MarathonExample_PrintsStepsAndCurrentActions()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/deployments", Examples.Read("deployments.json"));

        var result = await Cli.RunAsync(server, "deployment list");

        result.ExitCode.ShouldBe(0, result.Error);
        Table.Rows(result.Out).ShouldBe(
        [
            ["ID", "AFFECTED", "STEP", "CURRENT ACTIONS", "VERSION"],
            ["97c136bf-5a28-4821-9d94-480d9fbb01c8", "/foo,/bla", "1/1", "ScaleApplication /foo", "2015-09-30T09:09:17.614Z"],
        ]);
    }

    [Fact]
    public async Task DeploymentShow_HarrierReasonAndChanges_PrintsWhatItWaitsForAndWhy()
    {
        const string body = """
            [{"id":"d1","version":"2026-11-22T10:00:00.000Z","affectedApps":["/web"],"affectedPods":[],
              "steps":[{"actions":[{"action":"RestartApplication","app":"/web"}]}],
              "currentActions":[{"action":"RestartApplication","app":"/web","readinessCheckResults":[],
                "reason":{"type":"HealthFailing","since":"2026-11-22T10:00:01.000Z","forSeconds":12.5,
                          "message":"health check 0 of web.instance-1 fails: 503 Service Unavailable","check":"0","lastOutput":"503 Service Unavailable"}}],
              "currentStep":1,"totalSteps":1,
              "changes":[{"app":"/web","class":"restart","fields":["cmd","labels"]}]}]
            """;
        var server = new FakeMarathon().OnJson("GET", "/v2/deployments", body);

        var result = await Cli.RunAsync(server, "deployment show d1");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("-> 1. RestartApplication /web");
        result.Out.ShouldContain("WAITING   /web: HealthFailing for 12.5s — health check 0 of web.instance-1 fails: 503 Service Unavailable");
        result.Out.ShouldContain("CHANGE    /web: restart (cmd, labels)");
    }

    [Fact]
    public async Task AgentList_HarrierAgents_PrintsUseAgainstTotal()
    {
        const string body = """
            {"agents":[{"id":"a1","hostname":"10.0.0.1","role":"slave_public","attributes":{},"connected":true,"tasks":3,
              "resources":{"cpus":4,"mem":8192,"disk":100,"gpus":0,"ports":1001},
              "used":{"cpus":1.5,"mem":384,"disk":0,"gpus":0,"ports":3},
              "free":{"cpus":2.5,"mem":7808,"disk":100,"gpus":0,"ports":998},
              "overlays":{"dcos":"10.200.3.0/24"},"networks":["cninet"]}]}
            """;
        var server = new FakeMarathon().OnJson("GET", "/v2/agents", body);

        var result = await Cli.RunAsync(server, "agent list");

        result.ExitCode.ShouldBe(0, result.Error);
        Table.Rows(result.Out).ShouldBe(
        [
            ["ID", "HOSTNAME", "ROLE", "CONNECTED", "MODE", "TASKS", "CPUS", "MEM", "NETWORKS"],
            ["a1", "10.0.0.1", "slave_public", "yes", "active", "3", "1.5/4", "384/8192", "dcos=10.200.3.0/24,cninet"],
        ]);
    }

    [Theory]
    [InlineData("drain", "draining")]
    [InlineData("undrain", "active")]
    public async Task AgentDrain_PostsToTheAgent_PrintsItsMode(string verb, string mode)
    {
        var server = new FakeMarathon().OnJson("POST", $"/v2/agents/a1/{verb}", $$"""{"id":"a1","hostname":"10.0.0.1","role":"*","connected":true,"mode":"{{mode}}","tasks":0}""");

        var result = await Cli.RunAsync(server, $"agent {verb} a1");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.Trim().ShouldBe($"Agent a1 (10.0.0.1) is {mode}.");
    }

    [Fact]
    public async Task AgentDrain_UnknownAgent_PrintsTheServersMessage()
    {
        var server = new FakeMarathon().OnJson("POST", "/v2/agents/zz/drain", """{"message":"Agent zz does not exist"}""", 404);

        var result = await Cli.RunAsync(server, "agent drain zz");

        result.ExitCode.ShouldNotBe(0);
        result.Error.ShouldContain("Agent zz does not exist");
    }

    [Fact]
    public async Task Queue_MarathonExample_PrintsOneRowPerWaitingApp()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/queue", Examples.Read("queue.json"));

        var result = await Cli.RunAsync(server, "queue");

        result.ExitCode.ShouldBe(0, result.Error);
        Table.Rows(result.Out).ShouldBe(
        [
            ["ID", "COUNT", "ROLE", "DELAY", "OVERDUE", "SINCE"],
            ["/tools/datadog-agent", "1", "*", "0s", "yes", "2016-02-28T16:41:41.090Z"],
            ["/foo", "2", "*", "0s", "yes", "2016-02-28T16:41:41.090Z"],
        ]);
    }

    [Fact]
    public async Task Info_MarathonExample_PrintsNameVersionAndLeader()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/info", Examples.Read("info.json"));

        var result = await Cli.RunAsync(server, "info --server http://harrier.test:8080");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Uri.ShouldBe(new Uri("http://harrier.test:8080/v2/info"));
        result.Out.ShouldBe(
            "Server:        http://harrier.test:8080\n" +
            "Name:          marathon\n" +
            "Version:       1.5.0-SNAPSHOT\n" +
            "Leader:        localhost:8080 (elected)\n" +
            "Framework ID:  96d7da70-b731-4cfb-96a7-0ee877af615d-0000\n");
    }

    [Theory]
    [InlineData("deployment list", "/v2/deployments", "deployments.json")]
    [InlineData("queue", "/v2/queue", "queue.json")]
    [InlineData("info", "/v2/info", "info.json")]
    public async Task Verb_Json_PrintsExactlyWhatTheServerSent(string verb, string path, string example)
    {
        var body = Examples.Read(example);
        var server = new FakeMarathon().OnJson("GET", path, body);

        var result = await Cli.RunAsync(server, verb + " --json");

        result.ExitCode.ShouldBe(0, result.Error);
        JsonNode.DeepEquals(JsonNode.Parse(result.Out), JsonNode.Parse(body)).ShouldBeTrue(result.Out);
    }
}
