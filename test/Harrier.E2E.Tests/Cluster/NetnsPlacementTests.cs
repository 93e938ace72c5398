using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Cluster;

/// <summary>Constraints over agents in their own network namespaces.</summary>
public sealed class NetnsPlacementTests
{
    [Fact]
    public async Task Unique_FiveOnThreeHosts_TwoWaitWithReason()
    {
        if (NetnsCluster.Missing() is { } missing)
        {
            Assert.Skip(missing);
        }
        await using var cluster = await NetnsCluster.StartAsync(3);
        var server = cluster.Server;
        var (status, body, _) = await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/uniq","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":5,"constraints":[["hostname","UNIQUE"]]}""");
        Assert.True(status == System.Net.HttpStatusCode.Created, $"POST answered {(int)status}: {body}");

        JsonArray running;
        try
        {
            running = await Eventually.WaitAsync(async () =>
            {
                var tasks = await cluster.TasksAsync("/uniq");
                return tasks.Count(t => NetnsCluster.Str(t, "state") == "TASK_RUNNING") == 3 ? tasks : null;
            }, TimeSpan.FromSeconds(60), "three running tasks");
        }
        catch (TimeoutException e)
        {
            // Failed twice in CI under load without a clue: say what the server and the agents saw.
            throw new TimeoutException($"{e.Message}; tasks: {(await cluster.TasksAsync("/uniq")).ToJsonString()}; queue: " +
                $"{(await server.GetJsonAsync("/v2/queue")).ToJsonString()}; agents: {(await cluster.AgentsAsync()).ToJsonString()}\nserver:\n{server.Output}\n" +
                string.Join("\n---\n", cluster.Agents.Select(a => a.Output)), e);
        }
        Assert.Equal(cluster.Addresses.Order(StringComparer.Ordinal), running.Select(t => NetnsCluster.Str(t, "host")).Order(StringComparer.Ordinal));
        Assert.Equal(3, server.HostTasks("/uniq").Count);

        var entry = await Eventually.WaitAsync(
            async () => (await server.GetJsonAsync("/v2/queue"))["queue"]!.AsArray().SingleOrDefault(q => q?["app"]?["id"]?.GetValue<string>() == "/uniq" && q["reason"] is not null),
            TimeSpan.FromSeconds(10),
            "the app in the queue with a reason");
        Assert.Equal(2, entry!["count"]!.GetValue<int>());
        var reason = entry["reason"]!;
        Assert.Equal("UnfulfilledConstraint", NetnsCluster.Str(reason, "type"));
        var text = reason.ToJsonString();
        Assert.True(text.Contains("hostname", StringComparison.Ordinal) && text.Contains("UNIQUE", StringComparison.Ordinal), "the reason names hostname:UNIQUE: " + text);

        // Still three a while later: the two waiting instances are not squeezed onto a host that has one.
        await NetnsRestartTests.Consistently(
            async () => (await cluster.TasksAsync("/uniq")).Count == 3,
            TimeSpan.FromSeconds(2),
            "three tasks");
    }
}
