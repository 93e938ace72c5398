using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Cluster;

/// <summary>kill -9 of the server or of an agent, each agent in its own network namespace.</summary>
public sealed class NetnsRestartTests
{
    private const string Roll = "/roll";

    [Fact]
    public async Task ServerKillDashNine_MidRollingDeployment_CompletesWithoutDuplicatesOrOrphans()
    {
        if (NetnsCluster.Missing() is { } missing)
        {
            Assert.Skip(missing);
        }
        await using var cluster = await NetnsCluster.StartAsync(3);
        var server = cluster.Server;
        // The check passes once the task wrote its marker: v1 at once, v2 only after a few seconds, so the rolling
        // upgrade (minHC 0.5, maxOC 0: three old stop, three new start, then the rest) is in flight long enough.
        var app = new JsonObject
        {
            ["id"] = Roll,
            ["cmd"] = "touch $MESOS_SANDBOX/ready; exec sleep 3600",
            ["cpus"] = 0.05,
            ["mem"] = 16,
            ["instances"] = 6,
            ["healthChecks"] = new JsonArray(new JsonObject
            {
                ["protocol"] = "COMMAND",
                ["command"] = new JsonObject { ["value"] = "test -f $MESOS_SANDBOX/ready" },
                ["intervalSeconds"] = 1,
                ["timeoutSeconds"] = 1,
                ["gracePeriodSeconds"] = 120,
                // Marathon's default delaySeconds is 15; the checks must start at once for the timing above.
                ["delaySeconds"] = 0,
                ["maxConsecutiveFailures"] = 0,
            }),
            ["upgradeStrategy"] = new JsonObject { ["minimumHealthCapacity"] = 0.5, ["maximumOverCapacity"] = 0 },
        };
        var (created, _, _) = await server.SendAsync(HttpMethod.Post, "/v2/apps", app.ToJsonString());
        Assert.Equal(System.Net.HttpStatusCode.Created, created);
        await WaitHealthyAsync(cluster, 6, version: null);

        var (status, body, _) = await server.SendAsync(HttpMethod.Put, "/v2/apps" + Roll, """{"cmd":"sleep 6; touch $MESOS_SANDBOX/ready; exec sleep 3600"}""");
        Assert.True(status == System.Net.HttpStatusCode.OK, $"PUT -> {(int)status}: {body?.ToJsonString()}");
        var version = NetnsCluster.Str(body, "version");

        // Partly done: some v2 tasks run while v1 tasks are still there.
        await Eventually.TrueAsync(async () =>
        {
            var tasks = await cluster.TasksAsync(Roll);
            var fresh = tasks.Count(t => NetnsCluster.Str(t, "version") == version && NetnsCluster.Str(t, "state") == "TASK_RUNNING");
            var old = tasks.Count(t => NetnsCluster.Str(t, "version") != version);
            return fresh > 0 && old > 0 && (await server.GetJsonAsync("/v2/deployments")).AsArray().Count == 1;
        }, TimeSpan.FromSeconds(30), "the deployment partly done");
        await server.KillHardAsync();
        await server.StartProcessAsync();

        var final = await WaitHealthyAsync(cluster, 6, version);
        var ids = final.Select(t => NetnsCluster.Str(t, "id")).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(final, t => Assert.Equal(version, NetnsCluster.Str(t, "version")));
        Assert.Equal(ids.ToHashSet(), server.HostTasks(Roll));
        await Eventually.TrueAsync(
            async () => (await server.GetJsonAsync("/v2/orphans"))["orphans"]!.AsArray().Count == 0,
            TimeSpan.FromSeconds(15),
            "no orphans");
        Assert.All(await cluster.AgentsAsync(), a => Assert.True(a!["connected"]!.GetValue<bool>()));
        Assert.Equal(ids.ToHashSet(), server.HostTasks(Roll));
    }

    [Fact]
    public async Task AgentKillDashNine_InNamespace_RestartKeepsTasks()
    {
        if (NetnsCluster.Missing() is { } missing)
        {
            Assert.Skip(missing);
        }
        await using var cluster = await NetnsCluster.StartAsync(2);
        var server = cluster.Server;
        await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/keep","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":4}""");
        var tasks = await server.WaitForRunningAsync("/keep", 4);
        var before = Snapshot(server);
        Assert.Equal(tasks.Select(t => NetnsCluster.Str(t, "id")).ToHashSet(), before.Select(p => p.TaskId).ToHashSet());
        var victim = cluster.Agents[0];
        var hostname = cluster.Addresses[0];
        Assert.Contains(tasks, t => NetnsCluster.Str(t, "host") == hostname);
        Assert.Equal(1, Registrations(victim));

        await victim.KillHardAsync();
        Assert.Equal(before, Snapshot(server));
        await victim.StartAsync(expectedAgents: 2);
        try
        {
            await Eventually.TrueAsync(
                async () => Registrations(victim) == 2 && (await cluster.AgentsAsync()).All(a => a!["connected"]!.GetValue<bool>()),
                TimeSpan.FromSeconds(30),
                "the restarted agent to register again");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; agents {(await cluster.AgentsAsync()).ToJsonString()}; agent output:\n{victim.Output}", e);
        }

        // For a few seconds after the registration: the same task ids with the same pids, nothing new launched.
        var ids = tasks.Select(t => NetnsCluster.Str(t, "id")).Order(StringComparer.Ordinal).ToList();
        await Consistently(async () =>
        {
            var now = await cluster.TasksAsync("/keep");
            return now.Count == 4
                && now.All(t => NetnsCluster.Str(t, "state") == "TASK_RUNNING")
                && now.Select(t => NetnsCluster.Str(t, "id")).Order(StringComparer.Ordinal).SequenceEqual(ids)
                && Snapshot(server).SetEquals(before);
        }, TimeSpan.FromSeconds(4), "the tasks and their pids unchanged");
    }

    private static HashSet<(int Pid, string TaskId)> Snapshot(HarrierDev server) =>
        server.TaskProcesses().Where(t => t.TaskId.Length > 0).Select(t => (t.Pid, t.TaskId)).ToHashSet();

    /// <summary>
    /// How often the agent logged its registration: the server keeps an agent's registeredAt when the same agent id
    /// registers again before it was seen lost, so /v2/agents cannot tell the restart apart.
    /// </summary>
    private static int Registrations(HarrierAgentProcess agent) =>
        agent.Output.Split('\n').Count(l => l.Contains("] Agent ", StringComparison.Ordinal) && l.Contains(" registered with ", StringComparison.Ordinal));

    /// <summary>Exactly <paramref name="count"/> running, healthy tasks (of <paramref name="version"/> when given) and no deployment.</summary>
    private static async Task<JsonArray> WaitHealthyAsync(NetnsCluster cluster, int count, string? version)
    {
        JsonNode? last = null;
        try
        {
            return await Eventually.WaitAsync(async () =>
            {
                var tasks = await cluster.TasksAsync(Roll);
                last = tasks;
                var ok = tasks.Count == count && tasks.All(t =>
                    NetnsCluster.Str(t, "state") == "TASK_RUNNING"
                    && (version is null || NetnsCluster.Str(t, "version") == version)
                    && t!["healthCheckResults"] is JsonArray { Count: > 0 } results && results.All(r => r!["alive"]!.GetValue<bool>()));
                return ok && (await cluster.Server.GetJsonAsync("/v2/deployments")).AsArray().Count == 0 ? tasks : null;
            }, TimeSpan.FromSeconds(60), $"{count} healthy tasks of {Roll}");
        }
        catch (TimeoutException e)
        {
            var deployments = (await cluster.Server.GetJsonAsync("/v2/deployments")).ToJsonString();
            throw new TimeoutException($"{e.Message}; last tasks: {last?.ToJsonString()}; deployments: {deployments}", e);
        }
    }

    /// <summary>Polls <paramref name="probe"/> for <paramref name="period"/>; fails the first time it is false.</summary>
    internal static async Task Consistently(Func<Task<bool>> probe, TimeSpan period, string what)
    {
        var until = DateTime.UtcNow + period;
        do
        {
            Assert.True(await probe(), "expected to hold throughout: " + what);
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < until);
    }
}
