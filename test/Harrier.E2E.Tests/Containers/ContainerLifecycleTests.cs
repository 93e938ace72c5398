using System.Net;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Harrier.Testing.Images;
using Xunit;

namespace Harrier.E2E.Tests.Containers;

/// <summary>
/// Container tasks through a real <c>harrier dev</c> as a user meets them: pull failures said where they look, the
/// universal (MESOS) container, an agent <c>kill -9</c>, persistent volumes, COMMAND checks inside the container,
/// statistics and the image CLI.
/// </summary>
public sealed class ContainerLifecycleTests(RegistryFixture images) : IClassFixture<RegistryFixture>
{
    private const string Httpi = GuideImages.Httpi;

    [Fact]
    public async Task MissingImage_FailsNamingImageAndCause_QueueSaysImagePullFailed()
    {
        images.Require();
        await using var dev = await HarrierDev.StartAsync(images.MirrorArgs);

        var (status, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps",
            """{"id":"/nope","cpus":0.1,"mem":16,"container":{"type":"DOCKER","docker":{"image":"nope/nothing:1"}}}""");

        Assert.Equal(HttpStatusCode.Created, status);
        var failure = await Eventually.WaitAsync(async () =>
            (await dev.GetJsonAsync("/v2/apps/nope?embed=app.lastTaskFailure"))["app"]!["lastTaskFailure"], TimeSpan.FromSeconds(30), "a task failure");
        var message = failure!["message"]!.GetValue<string>();
        Assert.Equal("TASK_FAILED", failure["state"]!.GetValue<string>());
        Assert.Contains("docker.io/nope/nothing:1", message, StringComparison.Ordinal);
        Assert.Contains("not found", message, StringComparison.OrdinalIgnoreCase);
        var reason = await Eventually.WaitAsync(async () =>
            (await dev.GetJsonAsync("/v2/queue"))["queue"]!.AsArray().FirstOrDefault()?["reason"] is { } r && r["type"]!.GetValue<string>() == "ImagePullFailed" ? r : null,
            TimeSpan.FromSeconds(30), "the queue to say ImagePullFailed");
        Assert.Equal("nope/nothing:1", reason["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvalidImageReference_Is422()
    {
        images.Require();
        await using var dev = await HarrierDev.StartAsync(images.MirrorArgs);

        var (status, body, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps",
            """{"id":"/bad","cpus":0.1,"mem":16,"container":{"type":"DOCKER","docker":{"image":"Bad Image"}}}""");

        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("/container/docker/image", body!["details"]![0]!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task MesosContainerWithImage_RunsTheCommandInTheImage()
    {
        images.Require();
        await using var dev = await HarrierDev.StartAsync(images.MirrorArgs);

        await dev.SendAsync(HttpMethod.Post, "/v2/apps",
            """{"id":"/ucr","cmd":"echo ucr-sandbox=$MESOS_SANDBOX; cat /etc/hostname > /dev/null && ls /www 2>&1; sleep 1000","cpus":0.1,"mem":16,"container":{"type":"MESOS","docker":{"image":"IMAGE"}}}""".Replace("IMAGE", Httpi, StringComparison.Ordinal));

        var task = (await dev.WaitForRunningAsync("/ucr", 1, TimeSpan.FromSeconds(60)))[0]!;
        var log = await Eventually.WaitAsync(async () =>
        {
            var text = await dev.Http.GetStringAsync($"/v2/apps/ucr/tasks/{task["id"]}/logs?stream=stdout");
            return text.Contains("ucr-sandbox=", StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(20), "the task's output");
        Assert.Contains("ucr-sandbox=/mnt/mesos/sandbox", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillNine_Agent_ReadoptsTheRunningContainer_SamePidNoDuplicate()
    {
        images.Require();
        await using var dev = await HarrierDev.StartAsync(images.MirrorArgs);
        await dev.SendAsync(HttpMethod.Post, "/v2/apps",
            """{"id":"/pi","cpus":0.1,"mem":32,"portDefinitions":[{"port":0,"name":"http"}],"container":{"type":"DOCKER","docker":{"image":"IMAGE"}}}""".Replace("IMAGE", Httpi, StringComparison.Ordinal));
        var before = (await dev.WaitForRunningAsync("/pi", 1, TimeSpan.FromSeconds(60)))[0]!;
        var taskId = before["id"]!.GetValue<string>();
        var pids = dev.TaskProcesses().Where(p => p.TaskId == taskId).Select(p => p.Pid).Order().ToList();
        Assert.NotEmpty(pids);

        await dev.KillHardAsync();
        await dev.StartProcessAsync();

        var after = (await dev.WaitForRunningAsync("/pi", 1, TimeSpan.FromSeconds(60)))[0]!;
        Assert.Equal(taskId, after["id"]!.GetValue<string>());
        Assert.Equal(pids, dev.TaskProcesses().Where(p => p.TaskId == taskId).Select(p => p.Pid).Order().ToList());
        Assert.Single(Directory.GetDirectories(dev.BundlesDir));
        Assert.Equal(GuideImages.HttpiBody, (await GuideContainerAppsTests.GetAsync($"http://127.0.0.1:{after["ports"]![0]}/")).Trim());
    }

    [Fact]
    public async Task KillNine_ContainerExitsWhileAgentDown_ReportedWithItsExitCode()
    {
        images.Require();
        await using var dev = await HarrierDev.StartAsync(images.MirrorArgs);
        await dev.SendAsync(HttpMethod.Post, "/v2/apps",
            """{"id":"/ending","cmd":"sleep 4; exit 3","cpus":0.1,"mem":16,"backoffSeconds":600,"container":{"type":"DOCKER","docker":{"image":"IMAGE"}}}""".Replace("IMAGE", Httpi, StringComparison.Ordinal));
        await dev.WaitForRunningAsync("/ending", 1, TimeSpan.FromSeconds(60));

        await dev.KillHardAsync();
        await Task.Delay(TimeSpan.FromSeconds(6), TestContext.Current.CancellationToken);
        await dev.StartProcessAsync();

        var failure = await Eventually.WaitAsync(async () =>
            (await dev.GetJsonAsync("/v2/apps/ending?embed=app.lastTaskFailure"))["app"]!["lastTaskFailure"], TimeSpan.FromSeconds(30), "the failure");
        Assert.Equal("TASK_FAILED", failure!["state"]!.GetValue<string>());
        Assert.Contains("3", failure["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersistentVolume_DataSurvivesRestartAndUpgrade_DeleteDestroysIt()
    {
        images.Require();
        await using var dev = await HarrierDev.StartAsync(images.MirrorArgs);
        const string App = """
            {"id":"/keeper","cmd":"echo run >> data/runs; echo runs=$(wc -l < data/runs); sleep 1000","cpus":0.1,"mem":16,"instances":1,
             "env":{"V":"1"},
             "container":{"type":"DOCKER","docker":{"image":"dcoslabs/httpi:latest"},
               "volumes":[{"containerPath":"data","mode":"RW","persistent":{"size":64}}]}}
            """;
        Assert.Equal(HttpStatusCode.Created, (await dev.SendAsync(HttpMethod.Post, "/v2/apps", App)).Status);
        var first = (await dev.WaitForRunningAsync("/keeper", 1, TimeSpan.FromSeconds(60)))[0]!;
        var volume = first["localVolumes"]![0]!;
        Assert.Equal("data", volume["containerPath"]!.GetValue<string>());
        var persistenceId = volume["persistenceId"]!.GetValue<string>();
        await WaitForLogAsync(dev, "/keeper", "runs=1");

        Assert.Equal(HttpStatusCode.OK, (await dev.SendAsync(HttpMethod.Post, "/v2/apps/keeper/restart", "{}")).Status);
        await WaitForLogAsync(dev, "/keeper", "runs=2");
        Assert.Equal(HttpStatusCode.OK, (await dev.SendAsync(HttpMethod.Put, "/v2/apps/keeper", """{"env":{"V":"2"}}""")).Status);
        var upgraded = await WaitForLogAsync(dev, "/keeper", "runs=3");
        Assert.Equal(first["id"]!.GetValue<string>()[..^".1".Length], upgraded[..^".3".Length]);

        var dir = Path.Combine(dev.DataDir, "agent", "volumes", persistenceId);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "runs")).Length);
        Assert.Equal(HttpStatusCode.OK, (await dev.SendAsync(HttpMethod.Delete, "/v2/apps/keeper")).Status);
        await Eventually.TrueAsync(() => !Directory.Exists(dir), TimeSpan.FromSeconds(30), "the volume to be destroyed");
    }

    [Fact]
    public async Task CommandHealthCheck_RunsInsideTheContainer()
    {
        images.Require();
        await using var dev = await HarrierDev.StartAsync(images.MirrorArgs);
        // /mnt/mesos/sandbox exists only inside the container; on the host the check would fail.
        await dev.SendAsync(HttpMethod.Post, "/v2/apps",
            """
            {"id":"/checked","cmd":"sleep 1000","cpus":0.1,"mem":16,"container":{"type":"DOCKER","docker":{"image":"IMAGE"}},
             "healthChecks":[{"protocol":"COMMAND","command":{"value":"test -d /mnt/mesos/sandbox && test -f /bin/busybox"},"intervalSeconds":1,"gracePeriodSeconds":30,"maxConsecutiveFailures":3}]}
            """.Replace("IMAGE", Httpi, StringComparison.Ordinal));

        var app = await Eventually.WaitAsync(async () =>
            (await dev.GetJsonAsync("/v2/apps/checked"))["app"] is { } a && a["tasksHealthy"]!.GetValue<int>() == 1 ? a : null,
            TimeSpan.FromSeconds(60), "the task to be healthy");
        Assert.Equal(0, app["tasksUnhealthy"]!.GetValue<int>());
    }

    [Fact]
    public async Task StatisticsAndImages_OfTheAgent_ShowTheContainerAndItsImage()
    {
        images.Require();
        await using var dev = await HarrierDev.StartAsync(images.MirrorArgs);
        await dev.SendAsync(HttpMethod.Post, "/v2/apps",
            """{"id":"/measured","cmd":"sleep 1000","cpus":0.25,"mem":48,"container":{"type":"DOCKER","docker":{"image":"IMAGE"}}}""".Replace("IMAGE", Httpi, StringComparison.Ordinal));
        var task = (await dev.WaitForRunningAsync("/measured", 1, TimeSpan.FromSeconds(60)))[0]!;
        var agent = task["slaveId"]!.GetValue<string>();

        var stats = (await dev.GetJsonAsync($"/agent/{agent}/monitor/statistics")).AsArray();
        var entry = stats.Single(e => e!["executor_id"]!.GetValue<string>() == task["id"]!.GetValue<string>())!;
        var s = entry["statistics"]!;
        Assert.Equal(48L * 1024 * 1024, s["mem_limit_bytes"]!.GetValue<long>());
        Assert.Equal(0.25, s["cpus_limit"]!.GetValue<double>(), 3);
        Assert.True(s["processes"]!.GetValue<int>() >= 1);
        Assert.True(s["mem_total_bytes"]!.GetValue<long>() > 0);
        Assert.NotNull(s["cpus_user_time_secs"]);
        var metrics = await dev.Http.GetStringAsync($"/agent/{agent}/metrics");
        Assert.Contains($"harrier_task_mem_limit_bytes{{agent=\"{agent}\",task=\"{task["id"]}\"}} 50331648", metrics, StringComparison.Ordinal);

        var (code, output, error) = await dev.RunCliAsync("image", "list");
        Assert.True(code == 0, error);
        Assert.Contains("docker.io/dcoslabs/httpi:latest", output, StringComparison.Ordinal);
        Assert.Contains("/measured", output, StringComparison.Ordinal);
        var (rmCode, _, rmError) = await dev.RunCliAsync("image", "rm", "dcoslabs/httpi:latest");
        Assert.NotEqual(0, rmCode);
        Assert.Contains("in use", rmError, StringComparison.OrdinalIgnoreCase);
        var (pullCode, pulled, pullError) = await dev.RunCliAsync("image", "pull", "mesosphere/inky");
        Assert.True(pullCode == 0, pullError);
        Assert.Contains("Pulled docker.io/mesosphere/inky:latest", pulled, StringComparison.Ordinal);
        var (removeCode, _, removeError) = await dev.RunCliAsync("image", "rm", "mesosphere/inky");
        Assert.True(removeCode == 0, removeError);
        var (_, listed, _) = await dev.RunCliAsync("image", "list");
        Assert.DoesNotContain("inky", listed, StringComparison.Ordinal);
    }

    /// <summary>Waits until the app's (single) task wrote <paramref name="text"/> to stdout; returns that task's id.</summary>
    private static async Task<string> WaitForLogAsync(HarrierDev dev, string appId, string text) =>
        await Eventually.WaitAsync(async () =>
        {
            foreach (var t in (await dev.GetJsonAsync($"/v2/apps{appId}/tasks"))["tasks"]!.AsArray())
            {
                var id = t!["id"]!.GetValue<string>();
                if (t["state"]!.GetValue<string>() == "TASK_RUNNING"
                    && (await dev.Http.GetStringAsync($"/v2/apps{appId}/tasks/{id}/logs?stream=stdout")).Contains(text, StringComparison.Ordinal))
                {
                    return id;
                }
            }
            return null;
        }, TimeSpan.FromSeconds(60), $"a task of {appId} to print {text}");
}
