using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Cluster;

/// <summary>unreachableStrategy and killSelection across a real link cut between the server and one agent's namespace.</summary>
public sealed class NetnsPartitionTests
{
    [Fact]
    public async Task Partition_InactiveAfter600_NotReplaced_HealReturnsSameTask()
    {
        if (NetnsCluster.Missing() is { } missing)
        {
            Assert.Skip(missing);
        }
        await using var cluster = await NetnsCluster.StartAsync(2, "--agent-timeout", "3");
        var (cut, taskId, pids) = await StartOneAsync(cluster, "/patient", """{"inactiveAfterSeconds":600,"expungeAfterSeconds":1200}""", "");

        await cluster.Net.SetLinkAsync(cut, up: false);
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                var tasks = await cluster.TasksAsync("/patient");
                return tasks.Count == 1 && NetnsCluster.Str(tasks[0], "id") == taskId && NetnsCluster.Str(tasks[0], "state") == "TASK_UNREACHABLE";
            }, TimeSpan.FromSeconds(30), "the task unreachable");
            // Unreachable for far less than inactiveAfterSeconds: nothing is launched on the reachable agent.
            await NetnsRestartTests.Consistently(async () =>
            {
                var tasks = await cluster.TasksAsync("/patient");
                return tasks.Count == 1 && NetnsCluster.Str(tasks[0], "id") == taskId
                    && !cluster.Server.TaskProcesses().Any(t => cluster.Agents[1 - cut].OwnsSandboxOf(t.Pid));
            }, TimeSpan.FromSeconds(8), "one unreachable task and none on the other agent");
            Assert.Equal(pids, cluster.PidsOf(taskId));
        }
        finally
        {
            await cluster.Net.SetLinkAsync(cut, up: true);
        }

        await Eventually.TrueAsync(async () =>
        {
            var tasks = await cluster.TasksAsync("/patient");
            return tasks.Count == 1 && NetnsCluster.Str(tasks[0], "id") == taskId && NetnsCluster.Str(tasks[0], "state") == "TASK_RUNNING";
        }, TimeSpan.FromSeconds(30), "the same task running again");
        Assert.Equal(pids, cluster.PidsOf(taskId));
        Assert.Equal(new HashSet<string> { taskId }, cluster.Server.HostTasks("/patient"));
        Assert.All(await cluster.AgentsAsync(), a => Assert.True(a!["connected"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Partition_InactiveAfter1_ReplacedThenSurplusKilledByKillSelection()
    {
        if (NetnsCluster.Missing() is { } missing)
        {
            Assert.Skip(missing);
        }
        await using var cluster = await NetnsCluster.StartAsync(2, "--agent-timeout", "3");
        var (cut, taskId, pids) = await StartOneAsync(cluster, "/eager", """{"inactiveAfterSeconds":1,"expungeAfterSeconds":600}""", ""","killSelection":"YOUNGEST_FIRST" """);

        string replacement;
        await cluster.Net.SetLinkAsync(cut, up: false);
        try
        {
            replacement = await Eventually.WaitAsync(async () =>
            {
                var tasks = await cluster.TasksAsync("/eager");
                var fresh = tasks.SingleOrDefault(t => NetnsCluster.Str(t, "id") != taskId && NetnsCluster.Str(t, "state") == "TASK_RUNNING");
                return fresh is not null && NetnsCluster.Str(fresh, "host") == cluster.Addresses[1 - cut] ? NetnsCluster.Str(fresh, "id") : null;
            }, TimeSpan.FromSeconds(30), "a replacement on the other agent");
            Assert.NotEmpty(cluster.PidsOf(replacement));
            Assert.Equal(pids, cluster.PidsOf(taskId));
        }
        finally
        {
            await cluster.Net.SetLinkAsync(cut, up: true);
        }

        // The original comes back within expungeAfterSeconds: two instances for one, and YOUNGEST_FIRST kills the replacement.
        JsonArray? last = null;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                var tasks = await cluster.TasksAsync("/eager");
                last = tasks;
                return tasks.Count == 1 && NetnsCluster.Str(tasks[0], "id") == taskId && NetnsCluster.Str(tasks[0], "state") == "TASK_RUNNING"
                    && cluster.PidsOf(replacement).Count == 0;
            }, TimeSpan.FromSeconds(40), "only the original task left");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last tasks: {last?.ToJsonString()}; server output:\n{cluster.Server.Output}", e);
        }
        Assert.Equal(pids, cluster.PidsOf(taskId));
        Assert.Equal(new HashSet<string> { taskId }, cluster.Server.HostTasks("/eager"));
        await Eventually.TrueAsync(
            async () => (await cluster.Server.GetJsonAsync("/v2/deployments")).AsArray().Count == 0,
            TimeSpan.FromSeconds(15),
            "no deployment left");
    }

    /// <summary>Starts one instance of a sleep app; returns the index of its agent, its task id and its pids.</summary>
    private static async Task<(int Agent, string TaskId, List<int> Pids)> StartOneAsync(NetnsCluster cluster, string id, string unreachable, string extra)
    {
        var (status, body, _) = await cluster.Server.SendAsync(HttpMethod.Post, "/v2/apps",
            $$"""{"id":"{{id}}","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":1,"unreachableStrategy":{{unreachable}}{{extra}}}""");
        Assert.True(status == System.Net.HttpStatusCode.Created, $"POST -> {(int)status}: {body?.ToJsonString()}");
        var task = (await cluster.Server.WaitForRunningAsync(id, 1)).Single();
        var taskId = NetnsCluster.Str(task, "id");
        var pids = cluster.PidsOf(taskId);
        Assert.NotEmpty(pids);
        return (cluster.Addresses.IndexOf(NetnsCluster.Str(task, "host")), taskId, pids);
    }
}
