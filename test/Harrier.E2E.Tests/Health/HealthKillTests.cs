using System.Net;
using System.Text.Json.Nodes;
using Harrier.E2E.Tests.Events;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Health;

/// <summary>
/// Health checks end to end (§8.2, §8.3, §10): real <c>harrier dev</c>, real test-app tasks whose health the test flips
/// over HTTP, observed through the task JSON, the queue and <c>/v2/events</c>.
/// </summary>
public sealed class HealthKillTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HttpCheck_TaskTurnsUnhealthy_KilledOnMaxPlusFirstFailureAndRelaunchedWithoutBackoff()
    {
        await using var dev = await HarrierDev.StartAsync();
        await using var events = await EventRecorder.StartAsync(dev);
        const string id = "/health/http";
        var app = TestAppDefinition.App(id, 1, "v1");
        app["healthChecks"] = new JsonArray(TestAppDefinition.HttpCheck(intervalSeconds: 1, graceSeconds: 5, maxFailures: 2));
        await CreateAsync(dev, app);
        var task = (await AppTasks.WaitHealthyAsync(dev, id, 1))[0]!;
        var taskId = AppTasks.Id(task);
        var instanceId = TestAppDefinition.InstanceOf(taskId);
        Assert.Equal(instanceId, task["healthCheckResults"]![0]!["instanceId"]!.GetValue<string>());
        Assert.NotNull(task["healthCheckResults"]![0]!["firstSuccess"]);

        await AppTasks.PostAsync(task, "/health/fail");

        // Watch the task JSON and the queue every 100 ms until a new task of the same instance runs.
        var maxFailuresSeen = 0;
        var queueDelays = new List<double>();
        string? lastCause = null;
        var replacement = await Eventually.WaitAsync(async () =>
        {
            var tasks = await AppTasks.ListAsync(dev, id);
            foreach (var t in tasks.Where(t => AppTasks.Id(t!) == taskId))
            {
                var result = t!["healthCheckResults"]?.AsArray().FirstOrDefault();
                if (result is not null)
                {
                    maxFailuresSeen = Math.Max(maxFailuresSeen, result["consecutiveFailures"]!.GetValue<int>());
                    lastCause = result["lastFailureCause"]?.ToString() ?? lastCause;
                }
            }
            foreach (var item in (await dev.GetJsonAsync("/v2/queue"))["queue"]!.AsArray().Where(q => q!["app"]?["id"]?.GetValue<string>() == id))
            {
                queueDelays.Add(item!["delay"]!["timeLeftSeconds"]!.GetValue<double>());
            }
            return tasks.FirstOrDefault(t => AppTasks.Id(t!) != taskId && t!["state"]!.GetValue<string>() == "TASK_RUNNING");
        }, Wait, "a replacement task", TimeSpan.FromMilliseconds(100));

        Assert.True(maxFailuresSeen >= 2, $"consecutiveFailures should reach 2 before the kill; saw at most {maxFailuresSeen}");
        Assert.NotNull(lastCause);
        Assert.Equal(instanceId, TestAppDefinition.InstanceOf(AppTasks.Id(replacement)));
        Assert.All(queueDelays, d => Assert.Equal(0, d));

        var kill = await events.WaitForAsync(e => EventRecorder.Type(e) == "unhealthy_instance_kill_event" && EventRecorder.Str(e, "taskId") == taskId,
            Wait, "unhealthy_instance_kill_event");
        Assert.Equal(id, EventRecorder.Str(kill, "appId"));
        Assert.Equal(instanceId, EventRecorder.Str(kill, "instanceId"));
        var before = events.Events.TakeWhile(e => !ReferenceEquals(e, kill)).ToList();
        var failed = before.Where(e => EventRecorder.Type(e) == "failed_health_check_event" && EventRecorder.Str(e, "taskId") == instanceId).ToList();
        Assert.True(failed.Count == 3, $"expected 3 failed_health_check_event (taskId = instance id) before the kill, got {failed.Count}: {events.Summary()}");
        Assert.All(failed, e => Assert.Equal(id, EventRecorder.Str(e, "appId")));
        Assert.Contains(before, e => EventRecorder.Type(e) == "health_status_changed_event" && EventRecorder.Str(e, "instanceId") == instanceId
            && e["alive"]!.GetValue<bool>() == false);

        // The relaunched task becomes healthy again and the queue never held it back.
        await AppTasks.WaitHealthyAsync(dev, id, 1);
        var queue = (await dev.GetJsonAsync("/v2/queue"))["queue"]!.AsArray();
        Assert.DoesNotContain(queue, q => q!["app"]?["id"]?.GetValue<string>() == id && q["delay"]!["timeLeftSeconds"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task HttpCheck_UnhealthyFromStart_NoFailureCountedWithinGracePeriod()
    {
        await using var dev = await HarrierDev.StartAsync();
        await using var events = await EventRecorder.StartAsync(dev);
        const string id = "/health/grace";
        var app = TestAppDefinition.App(id, 1, "v1", "--unhealthy");
        app["healthChecks"] = new JsonArray(TestAppDefinition.HttpCheck(intervalSeconds: 1, graceSeconds: 4, maxFailures: 3));
        await CreateAsync(dev, app);
        // Its deployment never finishes (the task is never healthy), so wait for the task alone.
        var running = await AppTasks.WaitRunningTaskAsync(dev, id, TimeSpan.FromSeconds(30));
        var taskId = AppTasks.Id(running);
        var startedAt = DateTimeOffset.Parse(running["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        // Until 3 s after the start, every look shows no counted failure.
        var looks = 0;
        while (DateTimeOffset.UtcNow < startedAt.AddSeconds(3))
        {
            var task = (await AppTasks.ListAsync(dev, id)).FirstOrDefault(t => AppTasks.Id(t!) == taskId);
            var failures = task?["healthCheckResults"]?.AsArray().FirstOrDefault()?["consecutiveFailures"]?.GetValue<int>() ?? 0;
            Assert.True(failures == 0, $"a failure was counted {(DateTimeOffset.UtcNow - startedAt).TotalSeconds:0.0} s after the start, within the grace period");
            Assert.DoesNotContain(events.Events, e => EventRecorder.Type(e) == "failed_health_check_event" && EventRecorder.Str(e, "appId") == id);
            looks++;
            await Task.Delay(100);
        }
        Assert.True(looks > 0, "the task was seen too late to check the grace period");

        // After the grace period the failures count (the app never had a success).
        var failed = await events.WaitForAsync(e => EventRecorder.Type(e) == "failed_health_check_event" && EventRecorder.Str(e, "appId") == id,
            TimeSpan.FromSeconds(15), "a counted failure after the grace period");
        var at = DateTimeOffset.Parse(failed["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(at >= startedAt.AddSeconds(3), $"first counted failure {(at - startedAt).TotalSeconds:0.00} s after the start");
    }

    [Fact]
    public async Task CommandCheck_CommandFails_KilledOnMaxthFailureAndRelaunched()
    {
        await using var dev = await HarrierDev.StartAsync();
        await using var events = await EventRecorder.StartAsync(dev);
        const string id = "/health/command";
        var app = TestAppDefinition.App(id, 1, "v1");
        app["healthChecks"] = new JsonArray(new JsonObject
        {
            ["protocol"] = "COMMAND",
            ["command"] = new JsonObject { ["value"] = "curl -fsS -m 1 http://127.0.0.1:$PORT0/health" },
            ["intervalSeconds"] = 1,
            ["timeoutSeconds"] = 1,
            ["gracePeriodSeconds"] = 5,
            ["delaySeconds"] = 0,
            ["maxConsecutiveFailures"] = 2,
        });
        await CreateAsync(dev, app);
        var task = (await AppTasks.WaitHealthyAsync(dev, id, 1))[0]!;
        var taskId = AppTasks.Id(task);
        var instanceId = TestAppDefinition.InstanceOf(taskId);

        await AppTasks.PostAsync(task, "/health/fail");
        var replacement = await Eventually.WaitAsync(async () =>
            (await AppTasks.ListAsync(dev, id)).FirstOrDefault(t => AppTasks.Id(t!) != taskId && t!["state"]!.GetValue<string>() == "TASK_RUNNING"),
            Wait, "a replacement task", TimeSpan.FromMilliseconds(100));
        Assert.Equal(instanceId, TestAppDefinition.InstanceOf(AppTasks.Id(replacement)));

        // COMMAND checks kill on the max-th failure: two failures are counted before the old task ends.
        var ended = await events.WaitForAsync(e => EventRecorder.Type(e) == "status_update_event" && EventRecorder.Str(e, "taskId") == taskId
            && EventRecorder.Str(e, "taskStatus") is "TASK_KILLED" or "TASK_KILLING" or "TASK_FAILED", Wait, "the old task's end");
        var failed = events.Events.TakeWhile(e => !ReferenceEquals(e, ended))
            .Count(e => EventRecorder.Type(e) == "failed_health_check_event" && EventRecorder.Str(e, "taskId") == instanceId);
        Assert.True(failed == 2, $"expected 2 counted failures before the kill, got {failed}: {events.Summary()}");
        await AppTasks.WaitHealthyAsync(dev, id, 1);
    }

    [Fact]
    public async Task TcpCheck_ListeningPortVsClosedPort_HealthyVsKilledAndRelaunched()
    {
        await using var dev = await HarrierDev.StartAsync();
        static JsonObject Tcp(int portIndex) => new()
        {
            ["protocol"] = "TCP",
            ["portIndex"] = portIndex,
            ["intervalSeconds"] = 1,
            ["timeoutSeconds"] = 1,
            ["gracePeriodSeconds"] = 2,
            ["maxConsecutiveFailures"] = 1,
        };
        var open = TestAppDefinition.App("/health/tcp-open", 1, "v1");
        open["healthChecks"] = new JsonArray(Tcp(0));
        await CreateAsync(dev, open);
        // The test app listens on $PORT0 only, so a check of the second port never succeeds.
        var closed = TestAppDefinition.App("/health/tcp-closed", 1, "v1");
        closed["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0, ["name"] = "http" }, new JsonObject { ["port"] = 0, ["name"] = "none" });
        closed["healthChecks"] = new JsonArray(Tcp(1));
        await CreateAsync(dev, closed);

        await AppTasks.WaitHealthyAsync(dev, "/health/tcp-open", 1);
        var first = await AppTasks.WaitRunningTaskAsync(dev, "/health/tcp-closed", Wait);
        var firstId = AppTasks.Id(first);
        var replacement = await Eventually.WaitAsync(async () =>
            (await AppTasks.ListAsync(dev, "/health/tcp-closed")).FirstOrDefault(t => AppTasks.Id(t!) != firstId),
            Wait, "the never-healthy task to be killed and relaunched", TimeSpan.FromMilliseconds(100));
        Assert.Equal(TestAppDefinition.InstanceOf(firstId), TestAppDefinition.InstanceOf(AppTasks.Id(replacement)));
        var closedApp = await AppTasks.AppAsync(dev, "/health/tcp-closed");
        Assert.Equal(0, closedApp["tasksHealthy"]!.GetValue<int>());
    }

    internal static async Task CreateAsync(HarrierDev dev, JsonObject app)
    {
        var (status, body, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", app.ToJsonString());
        Assert.True(status == HttpStatusCode.Created, $"POST {app["id"]} -> {(int)status}: {body?.ToJsonString()}");
    }
}
