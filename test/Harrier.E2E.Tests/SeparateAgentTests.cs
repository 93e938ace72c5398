using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests;

/// <summary><c>harrier server</c> with agents in their own processes, joined over HTTP on loopback addresses.</summary>
public sealed class SeparateAgentTests
{
    [Fact]
    public async Task ServerWithTwoAgents_UniqueHostname_PlacesOnePerAgentAndSurvivesAnAgentKill()
    {
        await using var server = await HarrierDev.StartServerAsync();
        await using var a = new HarrierAgentProcess(server, "a", "--hostname", "127.0.0.2", "--attributes", "rack:one", "--cpus", "2", "--mem", "1024");
        await using var b = new HarrierAgentProcess(server, "b", "--hostname", "127.0.0.3", "--attributes", "rack:two", "--cpus", "2", "--mem", "1024");
        await a.StartAsync(expectedAgents: 1);
        await b.StartAsync(expectedAgents: 2);

        await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/spread","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":3,"constraints":[["hostname","UNIQUE"]]}""");

        // Two agents, UNIQUE hostname: two run, the third waits and the queue says the constraint is why.
        var tasks = await Eventually.WaitAsync(async () =>
        {
            var list = (await server.GetJsonAsync("/v2/apps/spread/tasks"))["tasks"]!.AsArray();
            return list.Count(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING") == 2 ? list : null;
        }, TimeSpan.FromSeconds(30), "two running tasks");
        Assert.Equal(["127.0.0.2", "127.0.0.3"], tasks.Select(t => t!["host"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var reason = await Eventually.WaitAsync(
            async () => (await server.GetJsonAsync("/v2/queue"))["queue"]!.AsArray().SingleOrDefault()?["reason"],
            TimeSpan.FromSeconds(10),
            "the queue's reason");
        Assert.Equal("UnfulfilledConstraint", reason["type"]!.GetValue<string>());
        var agents = (await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray();
        Assert.Equal([1, 1], agents.Select(x => x!["tasks"]!.GetValue<int>()));
        Assert.Equal("one", agents.Single(x => x!["hostname"]!.GetValue<string>() == "127.0.0.2")!["attributes"]!["rack"]!.GetValue<string>());

        // kill -9 one agent and start it again: its task is re-adopted, not restarted.
        var before = server.TaskProcesses().Where(t => t.TaskId.Length > 0).Select(t => (t.Pid, t.TaskId)).ToHashSet();
        await a.KillHardAsync();
        Assert.Equal(before, server.TaskProcesses().Where(t => t.TaskId.Length > 0).Select(t => (t.Pid, t.TaskId)).ToHashSet());
        await a.StartAsync(expectedAgents: 2);
        await Task.Delay(2000);
        var after = (await server.GetJsonAsync("/v2/apps/spread/tasks"))["tasks"]!.AsArray()
            .Where(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING").Select(t => t!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(tasks.Select(t => t!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal), after);
        Assert.Equal(before, server.TaskProcesses().Where(t => t.TaskId.Length > 0).Select(t => (t.Pid, t.TaskId)).ToHashSet());
    }

    [Fact]
    public async Task SilentAgent_InstanceReplacedElsewhere_ItsTaskKilledWhenItReturns()
    {
        await using var server = await HarrierDev.StartServerAsync("--agent-timeout", "2", "--orphan-grace", "600");
        await using var a = new HarrierAgentProcess(server, "a", "--hostname", "127.0.0.2", "--cpus", "2", "--mem", "1024");
        await using var b = new HarrierAgentProcess(server, "b", "--hostname", "127.0.0.3", "--cpus", "2", "--mem", "1024");
        await a.StartAsync(expectedAgents: 1);
        await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/solo","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":1}""");
        var first = (await server.WaitForRunningAsync("/solo", 1)).Single()!;
        Assert.Equal("127.0.0.2", first["host"]!.GetValue<string>());
        var oldTask = first["id"]!.GetValue<string>();
        var oldPids = server.TaskProcesses().Where(t => t.TaskId == oldTask).Select(t => t.Pid).ToList();
        Assert.NotEmpty(oldPids);
        await b.StartAsync(expectedAgents: 2);

        await a.PauseAsync(stop: true);
        try
        {
            // Default unreachableStrategy {0, 0}: replaced on the other agent and expunged as soon as the agent is lost.
            var replacement = await Eventually.WaitAsync(async () =>
            {
                var list = (await server.GetJsonAsync("/v2/apps/solo/tasks"))["tasks"]!.AsArray();
                return list.Count == 1 && list[0]!["host"]!.GetValue<string>() == "127.0.0.3" && list[0]!["state"]!.GetValue<string>() == "TASK_RUNNING" ? list[0] : null;
            }, TimeSpan.FromSeconds(30), "a replacement on 127.0.0.3");
            Assert.NotEqual(oldTask, replacement!["id"]!.GetValue<string>());
            var lost = (await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray().Single(x => x!["hostname"]!.GetValue<string>() == "127.0.0.2")!;
            Assert.False(lost["connected"]!.GetValue<bool>());
            Assert.True(oldPids.All(ProcessExists), "the silent agent's task keeps running meanwhile");
        }
        finally
        {
            await a.PauseAsync(stop: false);
        }

        // Back: its heartbeat is refused, it registers again, and the task of the expunged instance is killed at once.
        await Eventually.TrueAsync(() => Task.FromResult(!oldPids.Any(ProcessExists)), TimeSpan.FromSeconds(30), "the returning agent's old task to be killed");
        await Eventually.TrueAsync(async () => (await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray().All(x => x!["connected"]!.GetValue<bool>()), TimeSpan.FromSeconds(10), "both agents connected");
        Assert.Single((await server.GetJsonAsync("/v2/apps/solo/tasks"))["tasks"]!.AsArray());
    }

    [Fact]
    public async Task Logs_TaskOnSeparateAgent_RelayedThroughTheServer()
    {
        await using var server = await HarrierDev.StartServerAsync();
        await using var agent = new HarrierAgentProcess(server, "logs", "--hostname", "127.0.0.4", "--cpus", "2", "--mem", "1024");
        await agent.StartAsync(expectedAgents: 1);
        await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/talk","cmd":"echo first; echo second; echo oops >&2; while true; do echo tick; sleep 0.2; done","cpus":0.1,"mem":16,"instances":1}""");
        var task = (await server.WaitForRunningAsync("/talk", 1)).Single()!["id"]!.GetValue<string>();
        var path = $"/v2/apps/talk/tasks/{task}/logs";

        var stdout = await Eventually.WaitAsync(async () =>
        {
            var text = await server.Http.GetStringAsync(path);
            return text.Contains("tick", StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(20), "the task's stdout over the server");
        Assert.StartsWith("first\nsecond\n", stdout, StringComparison.Ordinal);
        Assert.Equal("oops\n", await server.Http.GetStringAsync(path + "?stream=stderr"));
        Assert.Equal("tick\n", await server.Http.GetStringAsync(path + "?tail=1"));

        // Follow: new lines keep coming until the client hangs up; the agent then stops sending.
        using (var response = await server.Http.GetAsync(path + "?tail=0&follow=true", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(body);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            Assert.Equal("tick", await reader.ReadLineAsync(timeout.Token));
            Assert.Equal("tick", await reader.ReadLineAsync(timeout.Token));
        }
        // The relay is free again for the next reader (the CLI here).
        var (code, output, error) = await server.RunCliAsync("logs", task, "--tail", "1");
        Assert.True(code == 0, error);
        Assert.Equal("tick\n", output);

        var (status, answer, _) = await server.SendAsync(HttpMethod.Get, "/v2/apps/talk/tasks/talk.instance-00000000-0000-0000-0000-000000000000._app.1/logs");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, status);
        Assert.Contains("does not exist", answer!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentDrainCli_MovesInstancesOffThenMaintenance_UndrainReturnsIt()
    {
        await using var server = await HarrierDev.StartServerAsync();
        await using var a = new HarrierAgentProcess(server, "da", "--hostname", "127.0.0.5", "--cpus", "2", "--mem", "1024");
        await using var b = new HarrierAgentProcess(server, "db", "--hostname", "127.0.0.6", "--cpus", "2", "--mem", "1024");
        await a.StartAsync(expectedAgents: 1);
        await b.StartAsync(expectedAgents: 2);
        await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/movable","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":4,"upgradeStrategy":{"minimumHealthCapacity":0.5,"maximumOverCapacity":0}}""");
        var tasks = await server.WaitForRunningAsync("/movable", 4);
        Assert.Equal(2, tasks.Count(t => t!["host"]!.GetValue<string>() == "127.0.0.5"));
        var agents = (await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray();
        var drained = agents.Single(x => x!["hostname"]!.GetValue<string>() == "127.0.0.5")!["id"]!.GetValue<string>();

        var (code, output, error) = await server.RunCliAsync("agent", "drain", drained);

        Assert.True(code == 0, error);
        Assert.Equal($"Agent {drained} (127.0.0.5) is draining.\n", output);
        await Eventually.TrueAsync(
            async () => (await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray().Single(x => x!["id"]!.GetValue<string>() == drained)!["mode"]!.GetValue<string>() == "maintenance",
            TimeSpan.FromSeconds(30),
            "the drained agent to reach maintenance");
        var moved = await server.WaitForRunningAsync("/movable", 4);
        Assert.All(moved, t => Assert.Equal("127.0.0.6", t!["host"]!.GetValue<string>()));
        await Eventually.TrueAsync(() => Task.FromResult(!server.TaskProcesses().Any(t => a.OwnsSandboxOf(t.Pid))), TimeSpan.FromSeconds(10), "no task left on the drained agent");

        (code, output, error) = await server.RunCliAsync("agent", "undrain", drained);
        Assert.True(code == 0, error);
        Assert.Equal($"Agent {drained} (127.0.0.5) is active.\n", output);
    }

    private static bool ProcessExists(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].TrimStart().StartsWith('Z');
}
