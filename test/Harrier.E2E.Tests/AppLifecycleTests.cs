using System.Net;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests;

/// <summary>The user's first session (README) against the real <c>harrier dev</c>, with real processes.</summary>
public sealed class AppLifecycleTests
{
    [Fact]
    public async Task HelloWorld_TwoInstances_RunWithPortsAndStdoutIsReadable()
    {
        await using var dev = await HarrierDev.StartAsync();
        var (status, body, response) = await dev.SendAsync(HttpMethod.Post, "/v2/apps",
            """{"id":"/hello-world","cmd":"while [ true ]; do echo 'Hello Marathon'; sleep 5; done","cpus":0.1,"mem":10,"instances":2}""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.True(response.Headers.Contains("Marathon-Deployment-Id"));
        Assert.EndsWith("/hello-world", response.Headers.Location!.ToString());
        Assert.Equal(10000, body!["portDefinitions"]![0]!["port"]!.GetValue<int>());

        var tasks = await dev.WaitForRunningAsync("/hello-world", 2);
        foreach (var task in tasks)
        {
            Assert.Equal("127.0.0.1", task!["host"]!.GetValue<string>());
            var port = task["ports"]!.AsArray().Single()!.GetValue<int>();
            Assert.InRange(port, 31000, 32000);
            Assert.EndsWith("._app.1", task["id"]!.GetValue<string>());
        }
        Assert.Equal(2, dev.HostTasks("/hello-world").Count);

        var taskId = tasks[0]!["id"]!.GetValue<string>();
        await Eventually.TrueAsync(async () =>
        {
            var log = await dev.Http.GetStringAsync($"/v2/apps/hello-world/tasks/{taskId}/logs?stream=stdout");
            return log.Contains("Hello Marathon", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), "the task's stdout");

        var app = (await dev.GetJsonAsync("/v2/apps/hello-world"))["app"]!;
        Assert.Equal(2, app["tasksRunning"]!.GetValue<int>());
        Assert.Equal(2, app["tasks"]!.AsArray().Count);
    }

    [Fact]
    public async Task Python_HttpServer_AnswersOnTheTaskHostAndPort()
    {
        await using var dev = await HarrierDev.StartAsync();
        var (status, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps",
            """{"id":"python","cmd":"python3 -m http.server $PORT0 --bind 127.0.0.1","cpus":0.1,"mem":64,"instances":1}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var task = (await dev.WaitForRunningAsync("/python", 1))[0]!;
        var url = $"http://{task["host"]}:{task["ports"]![0]}/";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var answer = await Eventually.WaitAsync(async () =>
        {
            var r = await client.GetAsync(url);
            return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadAsStringAsync() : null;
        }, TimeSpan.FromSeconds(20), "the python server to answer");
        Assert.Contains("Directory listing", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScaleKillRestartUpdateDelete_HostProcessesFollowExactly()
    {
        await using var dev = await HarrierDev.StartAsync();
        const string id = "/e2e/sleeper";
        await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/e2e/sleeper","cmd":"sleep 3600","cpus":0.01,"mem":8,"instances":1}""");
        await dev.WaitForRunningAsync(id, 1);

        // Scale up with PUT (partial update by default), down with PATCH.
        var (putStatus, _, _) = await dev.SendAsync(HttpMethod.Put, "/v2/apps/e2e/sleeper", """{"instances":3}""");
        Assert.Equal(HttpStatusCode.OK, putStatus);
        await dev.WaitForRunningAsync(id, 3);
        Assert.Equal(3, dev.HostTasks(id).Count);
        await dev.SendAsync(HttpMethod.Patch, "/v2/apps/e2e/sleeper", """{"instances":1}""");
        var one = await dev.WaitForRunningAsync(id, 1);
        await Eventually.TrueAsync(() => dev.HostTasks(id).Count == 1, TimeSpan.FromSeconds(20), "one process after scale down");

        // Kill without scale: the instance comes back as a new task of the same instance.
        var first = one[0]!["id"]!.GetValue<string>();
        var (killStatus, killBody, _) = await dev.SendAsync(HttpMethod.Delete, $"/v2/apps/e2e/sleeper/tasks/{first}");
        Assert.Equal(HttpStatusCode.OK, killStatus);
        Assert.Equal(first, killBody!["task"]!["id"]!.GetValue<string>());
        var replaced = await Eventually.WaitAsync(async () =>
        {
            var tasks = await dev.WaitForRunningAsync(id, 1);
            var now = tasks[0]!["id"]!.GetValue<string>();
            return now != first ? now : null;
        }, TimeSpan.FromSeconds(30), "a replacement task");
        Assert.EndsWith("._app.2", replaced);
        Assert.Equal(first[..first.LastIndexOf("._app.", StringComparison.Ordinal)], replaced[..replaced.LastIndexOf("._app.", StringComparison.Ordinal)]);
        await Eventually.TrueAsync(() => dev.HostTasks(id).SetEquals([replaced]), TimeSpan.FromSeconds(20), "exactly the replacement process");

        // Kill with scale=true: instances drop to 0 and nothing comes back.
        var (scaleStatus, scaleBody, _) = await dev.SendAsync(HttpMethod.Delete, $"/v2/apps/e2e/sleeper/tasks/{replaced}?scale=true");
        Assert.Equal(HttpStatusCode.OK, scaleStatus);
        Assert.NotNull(scaleBody!["deploymentId"]);
        await dev.WaitForRunningAsync(id, 0);
        Assert.Equal(0, (await dev.GetJsonAsync("/v2/apps/e2e/sleeper"))["app"]!["instances"]!.GetValue<int>());
        await Eventually.TrueAsync(() => dev.HostTasks(id).Count == 0, TimeSpan.FromSeconds(20), "no process after kill-and-scale");

        // Restart replaces every instance.
        await dev.SendAsync(HttpMethod.Put, "/v2/apps/e2e/sleeper", """{"instances":2}""");
        var before = (await dev.WaitForRunningAsync(id, 2)).Select(t => t!["id"]!.GetValue<string>()).ToHashSet();
        var (restartStatus, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps/e2e/sleeper/restart");
        Assert.Equal(HttpStatusCode.OK, restartStatus);
        var after = await Eventually.WaitAsync(async () =>
        {
            var ids = (await dev.WaitForRunningAsync(id, 2)).Select(t => t!["id"]!.GetValue<string>()).ToHashSet();
            return ids.Overlaps(before) ? null : ids;
        }, TimeSpan.FromSeconds(45), "restarted tasks");
        await Eventually.TrueAsync(() => dev.HostTasks(id).SetEquals(after), TimeSpan.FromSeconds(20), "only the restarted processes");

        // Changing cmd restarts the instances with the new command.
        await dev.SendAsync(HttpMethod.Put, "/v2/apps/e2e/sleeper", """{"cmd":"sleep 3601"}""");
        var updated = await Eventually.WaitAsync(async () =>
        {
            var ids = (await dev.WaitForRunningAsync(id, 2)).Select(t => t!["id"]!.GetValue<string>()).ToHashSet();
            return ids.Overlaps(after) ? null : ids;
        }, TimeSpan.FromSeconds(45), "tasks of the updated command");
        await Eventually.TrueAsync(() => dev.HostTasks(id).SetEquals(updated), TimeSpan.FromSeconds(20), "only the updated processes");
        Assert.Equal("sleep 3601", (await dev.GetJsonAsync("/v2/apps/e2e/sleeper"))["app"]!["cmd"]!.GetValue<string>());
        Assert.True((await dev.GetJsonAsync("/v2/apps/e2e/sleeper/versions"))["versions"]!.AsArray().Count >= 5);

        // Delete: no process left, and the app is gone.
        var (deleteStatus, _, _) = await dev.SendAsync(HttpMethod.Delete, "/v2/apps/e2e/sleeper");
        Assert.Equal(HttpStatusCode.OK, deleteStatus);
        await Eventually.TrueAsync(() => dev.HostTasks(id).Count == 0, TimeSpan.FromSeconds(20), "no process after delete");
        var (getStatus, getBody, _) = await dev.SendAsync(HttpMethod.Get, "/v2/apps/e2e/sleeper");
        Assert.Equal(HttpStatusCode.NotFound, getStatus);
        Assert.Equal("App '/e2e/sleeper' does not exist", getBody!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Groups_NestedAppIds_ShowTheImplicitTree()
    {
        await using var dev = await HarrierDev.StartAsync();
        await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/prod/web/api","cmd":"sleep 3600","cpus":0.01,"mem":8,"instances":0}""");
        var root = await dev.GetJsonAsync("/v2/groups");
        Assert.Equal("/", root["id"]!.GetValue<string>());
        var prod = root["groups"]!.AsArray().Single()!;
        Assert.Equal("/prod", prod["id"]!.GetValue<string>());
        var web = prod["groups"]!.AsArray().Single()!;
        Assert.Equal("/prod/web/api", web["apps"]!.AsArray().Single()!["id"]!.GetValue<string>());
        var group = await dev.GetJsonAsync("/v2/groups/prod/web");
        Assert.Equal("/prod/web", group["id"]!.GetValue<string>());
        var (missing, body, _) = await dev.SendAsync(HttpMethod.Get, "/v2/groups/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("Group '/nope' does not exist", body!["message"]!.GetValue<string>());
    }
}
