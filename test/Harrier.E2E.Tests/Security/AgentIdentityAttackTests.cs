using System.Net;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Security;

/// <summary>
/// Issue 14, agent identity: attacks on the agent protocol against a real <c>harrier server</c> and real agents.
/// Before the fix each succeeded: anyone could register, take a real agent's id and its commands, forge a task's
/// status into a duplicate, and register nonsense.
/// </summary>
public sealed class AgentIdentityAttackTests
{
    [Fact]
    public async Task FakeAgent_WithoutTheJoinToken_IsRefused_RealAgentWithItJoins()
    {
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, "s3cret-join-token-" + Guid.NewGuid() + "\n", TestContext.Current.CancellationToken);
        try
        {
            await using var server = await HarrierDev.StartServerAsync("--agent-token-file", tokenFile);
            var fake = new FakeProtocolAgent(server);

            var (none, body, response) = await fake.RegisterAsync(FakeProtocolAgent.Registration("fake-1", "127.0.0.9"));
            var (wrong, _, _) = await fake.RegisterAsync(FakeProtocolAgent.Registration("fake-1", "127.0.0.9"), token: "guess-guess-guess-guess");
            var (stream, _, _) = await fake.PostAsync("/harrier/v1/agents/fake-1/heartbeat", "");

            Assert.Equal(HttpStatusCode.Unauthorized, none);
            Assert.Contains("join token", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, stream);
            Assert.Empty((await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray());

            await using var agent = new HarrierAgentProcess(server, "a", "--hostname", "127.0.0.2", "--cpus", "1", "--mem", "256", "--agent-token-file", tokenFile);
            await agent.StartAsync(expectedAgents: 1);
            Assert.Single((await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray());
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task HijackOfARealAgentsId_IsRefused_TheRealAgentKeepsItsCommands()
    {
        await using var server = await HarrierDev.StartServerAsync();
        await using var agent = new HarrierAgentProcess(server, "a", "--hostname", "127.0.0.2", "--cpus", "2", "--mem", "1024");
        await agent.StartAsync(expectedAgents: 1);
        var id = (await server.GetJsonAsync("/v2/agents"))["agents"]![0]!["id"]!.GetValue<string>();
        var attacker = new FakeProtocolAgent(server);

        var (hijack, body, _) = await attacker.RegisterAsync(FakeProtocolAgent.Registration(id, "127.0.0.2", """{"cpus":2,"mem":1024,"disk":1000,"gpus":0}"""));
        var (guessed, _, _) = await attacker.RegisterAsync(FakeProtocolAgent.Registration(id, "127.0.0.2"), secret: "a-guessed-secret");
        using var steal = await attacker.OpenCommandsAsync(id, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, hijack);
        Assert.Contains("not proven", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, guessed);
        Assert.Equal(HttpStatusCode.Unauthorized, steal.StatusCode);
        // The real agent still gets its launches.
        await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/mine","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":1}""");
        var task = (await server.WaitForRunningAsync("/mine", 1)).Single()!;
        Assert.Equal("127.0.0.2", task["host"]!.GetValue<string>());
        Assert.Single(server.HostTasks("/mine"));
        Assert.True(agent.Pid is not null, "the real agent keeps running");
    }

    [Fact]
    public async Task ForgedStatus_FromAnotherSession_ChangesNothingAndStartsNoDuplicate()
    {
        await using var server = await HarrierDev.StartServerAsync();
        await using var agent = new HarrierAgentProcess(server, "a", "--hostname", "127.0.0.2", "--cpus", "2", "--mem", "1024");
        await agent.StartAsync(expectedAgents: 1);
        var id = (await server.GetJsonAsync("/v2/agents"))["agents"]![0]!["id"]!.GetValue<string>();
        await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/victim","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":1}""");
        var task = (await server.WaitForRunningAsync("/victim", 1)).Single()!["id"]!.GetValue<string>();
        var processes = server.TaskProcesses().Where(p => p.TaskId == task).Select(p => p.Pid).ToHashSet();
        var mallory = new FakeProtocolAgent(server);
        Assert.Equal(HttpStatusCode.OK, (await mallory.RegisterAsync(FakeProtocolAgent.Registration("mallory", "127.0.0.9"))).Status);

        var (asTheAgent, _, _) = await mallory.PostAsync("/harrier/v1/agents/status", FakeProtocolAgent.Status(id, task, "killed"));
        var (asItself, _, _) = await mallory.PostAsync("/harrier/v1/agents/statuses", "[" + FakeProtocolAgent.Status("mallory", task, "killed") + "]");
        var (health, _, _) = await mallory.PostAsync("/harrier/v1/agents/health", $$"""{"agentId":"{{id}}","taskId":"{{task}}","timestamp":"2026-01-01T00:00:00.000Z","health":[],"readiness":null,"killRequested":[0]}""");

        Assert.Equal(HttpStatusCode.Forbidden, asTheAgent);
        Assert.Equal(HttpStatusCode.Accepted, asItself); // accepted on the wire, refused by the server: not mallory's task
        Assert.Equal(HttpStatusCode.Forbidden, health);
        // Several control passes later: the same task runs, alone, and nothing was launched beside it.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        var tasks = (await server.GetJsonAsync("/v2/apps/victim/tasks"))["tasks"]!.AsArray();
        Assert.Equal(task, Assert.Single(tasks)!["id"]!.GetValue<string>());
        Assert.Equal("TASK_RUNNING", tasks[0]!["state"]!.GetValue<string>());
        Assert.Equal([task], server.HostTasks("/victim"));
        Assert.Equal(processes, server.TaskProcesses().Where(p => p.TaskId == task).Select(p => p.Pid).ToHashSet());
        Assert.Contains("Refused a status update from agent mallory", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TaskStartedBehindTheServersBack_IsKilledAfterTheOrphanGrace()
    {
        await using var server = await HarrierDev.StartServerAsync("--agent-reconcile-interval", "1", "--orphan-grace", "2");
        var agent = new FakeProtocolAgent(server);
        Assert.Equal(HttpStatusCode.OK, (await agent.RegisterAsync(FakeProtocolAgent.Registration("quiet-agent", "127.0.0.9"))).Status);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var stream = await agent.OpenCommandsAsync("quiet-agent", timeout.Token);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var second = await agent.OpenCommandsAsync("quiet-agent", timeout.Token);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode); // one reader per command stream
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        var ghost = "ghost.instance-" + Guid.NewGuid() + "._app.1";

        // The agent runs a task the server never placed; it says so only when asked (a reconciliation). The overlay
        // and VIP configurations every agent gets at registration may come first.
        var asked = await reader.ReadLineAsync(timeout.Token);
        while (asked is not null && (asked.Contains("\"type\":\"overlay-config\"", StringComparison.Ordinal) || asked.Contains("\"type\":\"vip-config\"", StringComparison.Ordinal)))
        {
            asked = await reader.ReadLineAsync(timeout.Token);
        }
        Assert.Contains("\"type\":\"reconcile\"", asked, StringComparison.Ordinal);
        var reported = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Accepted, (await agent.PostAsync("/harrier/v1/agents/status", FakeProtocolAgent.Status("quiet-agent", ghost, "running"))).Status);
        var orphan = await Eventually.WaitAsync(
            async () => (await server.GetJsonAsync("/v2/orphans"))["orphans"]!.AsArray().FirstOrDefault(),
            TimeSpan.FromSeconds(10),
            "the task to be listed as an orphan");
        Assert.Equal(ghost, orphan["taskId"]!.GetValue<string>());

        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null && !(line.Contains("\"type\":\"kill\"", StringComparison.Ordinal) && line.Contains(ghost, StringComparison.Ordinal)))
        {
        }
        Assert.NotNull(line);
        Assert.True(DateTimeOffset.UtcNow - reported >= TimeSpan.FromSeconds(1.5), "killed after the grace, not before");
    }

    [Theory]
    [InlineData("""{"cpus":-1,"mem":1024,"disk":1000,"gpus":0}""", "", "127.0.0.9", "/agent/resources/cpus")]
    [InlineData("""{"cpus":1,"mem":1024,"disk":-5,"gpus":0}""", "", "127.0.0.9", "/agent/resources/disk")]
    [InlineData("""{"cpus":1,"mem":1024,"disk":1000,"gpus":0}""", ""","ports":[{"begin":32000,"end":31000}]""", "127.0.0.9", "/agent/ports(0)")]
    [InlineData("""{"cpus":1,"mem":1024,"disk":1000,"gpus":0}""", ""","ports":[{"begin":31000,"end":70000}]""", "127.0.0.9", "/agent/ports(0)")]
    [InlineData("""{"cpus":1,"mem":1024,"disk":1000,"gpus":0}""", "", "bad host;name", "/agent/hostname")]
    [InlineData("""{"cpus":1,"mem":1024,"disk":1000,"gpus":0}""", ""","role":"a role with spaces" """, "127.0.0.9", "/agent/role")]
    public async Task BadRegistration_Is422WithMarathonsDetails(string resources, string extra, string hostname, string path)
    {
        await using var server = await HarrierDev.StartServerAsync();
        var agent = new FakeProtocolAgent(server);

        var (status, body, _) = await agent.RegisterAsync(FakeProtocolAgent.Registration("bad-agent", hostname, resources, extra));

        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("Object is not valid", body!["message"]!.GetValue<string>());
        Assert.Contains(body["details"]!.AsArray(), d => d!["path"]!.GetValue<string>() == path);
        Assert.Empty((await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray());
    }

    [Fact]
    public async Task Registration_HugeHostnameAndAttributes_Is422()
    {
        await using var server = await HarrierDev.StartServerAsync();
        var agent = new FakeProtocolAgent(server);
        var attributes = string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"k{i}\":\"v\""));

        var (longName, _, _) = await agent.RegisterAsync(FakeProtocolAgent.Registration("bad-agent", new string('a', 300)));
        var (many, body, _) = await agent.RegisterAsync(FakeProtocolAgent.Registration("bad-agent", "127.0.0.9", extra: $",\"attributes\":{{{attributes}}}"));

        Assert.Equal((HttpStatusCode)422, longName);
        Assert.Equal((HttpStatusCode)422, many);
        Assert.Equal("/agent/attributes", body!["details"]![0]!["path"]!.GetValue<string>());
    }
}
