using System.Net;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests;

/// <summary>A <c>kill -9</c> of <c>harrier dev</c> loses nothing acknowledged, and running tasks are re-adopted, not duplicated.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task KillDashNine_ThenRestart_ReadoptsRunningTasksWithoutDuplicates()
    {
        await using var dev = await HarrierDev.StartAsync();
        await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/durable","cmd":"sleep 3600","cpus":0.01,"mem":8,"instances":2}""");
        var tasks = (await dev.WaitForRunningAsync("/durable", 2)).Select(t => t!["id"]!.GetValue<string>()).ToHashSet();
        var pids = dev.TaskProcesses().Where(p => p.AppId == "/durable").Select(p => p.Pid).ToHashSet();
        await dev.SendAsync(HttpMethod.Put, "/v2/apps/durable", """{"labels":{"tier":"one"}}""");
        tasks = await Eventually.WaitAsync(async () =>
        {
            var ids = (await dev.WaitForRunningAsync("/durable", 2)).Select(t => t!["id"]!.GetValue<string>()).ToHashSet();
            return ids.Overlaps(tasks) ? null : ids;
        }, TimeSpan.FromSeconds(45), "the labelled version's tasks");
        // The replaced tasks' processes may still be exiting and the new ones still exec'ing their children: take the
        // process set once only the new tasks' remain and it holds still.
        pids = await Eventually.WaitAsync(async () =>
        {
            var before = dev.TaskProcesses().Where(p => p.AppId == "/durable").Select(p => p.Pid).ToHashSet();
            await Task.Delay(300);
            var after = dev.TaskProcesses().Where(p => p.AppId == "/durable").Select(p => p.Pid).ToHashSet();
            return dev.HostTasks("/durable").SetEquals(tasks) && before.SetEquals(after) ? after : null;
        }, TimeSpan.FromSeconds(30), "a settled process set of the new tasks");
        var versions = (await dev.GetJsonAsync("/v2/apps/durable/versions"))["versions"]!.AsArray().Count;

        await dev.KillHardAsync();
        Assert.Equal(tasks, dev.HostTasks("/durable"));
        await dev.StartProcessAsync();

        var readopted = (await dev.WaitForRunningAsync("/durable", 2)).Select(t => t!["id"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(tasks, readopted);
        Assert.Equal(pids, dev.TaskProcesses().Where(p => p.AppId == "/durable").Select(p => p.Pid).ToHashSet());
        var app = (await dev.GetJsonAsync("/v2/apps/durable"))["app"]!;
        Assert.Equal("one", app["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal(versions, (await dev.GetJsonAsync("/v2/apps/durable/versions"))["versions"]!.AsArray().Count);
    }

    [Fact]
    public async Task GracefulStop_ThenRestart_LeavesTasksRunningAndReadoptsThem()
    {
        await using var dev = await HarrierDev.StartAsync();
        await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/calm","cmd":"sleep 3600","cpus":0.01,"mem":8,"instances":1}""");
        var task = (await dev.WaitForRunningAsync("/calm", 1))[0]!["id"]!.GetValue<string>();
        await dev.StopGracefullyAsync();
        Assert.Null(dev.Pid);
        Assert.Equal([task], dev.HostTasks("/calm"));
        await dev.StartProcessAsync();
        var readopted = (await dev.WaitForRunningAsync("/calm", 1))[0]!["id"]!.GetValue<string>();
        Assert.Equal(task, readopted);
        Assert.Equal([task], dev.HostTasks("/calm"));
    }

    [Fact]
    public async Task KillDashNine_WhileATaskWasKilled_ReplacesItAfterRestart()
    {
        await using var dev = await HarrierDev.StartAsync();
        await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/phoenix","cmd":"sleep 3600","cpus":0.01,"mem":8,"instances":1}""");
        var task = (await dev.WaitForRunningAsync("/phoenix", 1))[0]!["id"]!.GetValue<string>();
        await dev.KillHardAsync();
        foreach (var (pid, _, _) in dev.TaskProcesses().Where(p => p.AppId == "/phoenix").ToList())
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        await Eventually.TrueAsync(() => dev.HostTasks("/phoenix").Count == 0, TimeSpan.FromSeconds(10), "the task to die");
        await dev.StartProcessAsync();
        var replacement = await Eventually.WaitAsync(async () =>
        {
            var tasks = await dev.WaitForRunningAsync("/phoenix", 1);
            var id = tasks[0]!["id"]!.GetValue<string>();
            return id != task ? id : null;
        }, TimeSpan.FromSeconds(45), "a replacement after restart");
        Assert.Single(dev.HostTasks("/phoenix"));
        Assert.Contains(replacement, dev.HostTasks("/phoenix"));
    }

    [Fact]
    public async Task Cgroups_MemoryLimitExceeded_TaskFailsAsOomKill()
    {
        Assert.SkipWhen(Requirements.Root() is { } reason, Requirements.Root() ?? "");
        await using var dev = await HarrierDev.StartAsync();
        var (status, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps",
            """{"id":"/hog","cmd":"python3 -c 'import time; x = bytearray(256 * 1024 * 1024); time.sleep(600)'","cpus":0.1,"mem":32,"instances":1,"backoffSeconds":60}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var failure = await Eventually.WaitAsync(async () =>
            (await dev.GetJsonAsync("/v2/apps/hog"))["app"]!["lastTaskFailure"], TimeSpan.FromSeconds(30), "the OOM failure");
        Assert.Equal("TASK_FAILED", failure["state"]!.GetValue<string>());
        Assert.Contains("REASON_CONTAINER_LIMITATION_MEMORY", failure["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var queue = (await dev.GetJsonAsync("/v2/queue"))["queue"]!.AsArray();
        var entry = Assert.Single(queue);
        Assert.False(entry!["delay"]!["overdue"]!.GetValue<bool>());
        Assert.InRange(entry["delay"]!["timeLeftSeconds"]!.GetValue<long>(), 1, 60);
    }
}
