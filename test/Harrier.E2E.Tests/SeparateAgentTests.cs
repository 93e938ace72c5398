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
}
