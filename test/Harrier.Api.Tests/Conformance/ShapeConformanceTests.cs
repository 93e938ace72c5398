using System.Text;
using System.Text.Json.Nodes;
using Harrier.Api.Tests.Endpoints;
using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Conformance;

/// <summary>
/// Every Marathon endpoint's answer and every event type Harrier sends, held against Marathon 1.11's RAML types
/// (<see cref="MarathonSchemas"/>): exactly Marathon's shape without the opt-in, and Marathon's shape plus exactly
/// the extension fields of <c>HarrierExtensions.raml</c> with <c>Harrier-Extensions: true</c>.
/// </summary>
public sealed class ShapeConformanceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static readonly string[] RequiredEvents =
    [
        "event_stream_attached", "api_post_event", "group_change_success", "deployment_info", "deployment_step_success",
        "deployment_success", "deployment_step_failure", "deployment_failed", "status_update_event", "instance_changed_event",
        "add_health_check_event", "app_terminated_event",
    ];

    [Fact]
    public async Task EveryEndpointAndEvent_WithoutOptIn_MarathonsExactShape_WithOptIn_PlusTheExtensions()
    {
        _ = MarathonSchemas.Types;
        await using var api = await ApiHost.StartAsync();
        await using var plain = new EventStream(api.Client, "/v2/events", extensions: false);
        await using var harrier = new EventStream(api.Client, "/v2/events", extensions: true);
        await using var light = new EventStream(api.Client, "/v2/events?plan-format=light", extensions: false);
        await using var named = new EventStream(api.Client, "/v2/events?event_type=deployment_waiting_event&event_type=deployment_success", extensions: false);
        await Eventually.TrueAsync(() => new[] { plain, harrier, light }.All(s => s.Types.Contains("event_stream_attached")), Wait, "the streams to attach");

        // A healthy app, an app whose TCP check never passes (its deployment waits), an app no agent can take (queued).
        var created = await SendAsync(api, "POST", "/v2/apps", """{"id":"/conf/db","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8,"labels":{"tier":"db"},"env":{"A":"1"}}""");
        MarathonSchemas.AssertConforms(created.Text, "app.AppInfo", "POST /v2/apps");
        await SendAsync(api, "POST", "/v2/apps", """{"id":"/conf/web","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8,"portDefinitions":[{"port":0,"labels":{"VIP_0":"/conf-web:80"}}],"healthChecks":[{"protocol":"TCP","portIndex":0,"gracePeriodSeconds":0,"intervalSeconds":1,"maxConsecutiveFailures":0}]}""");
        await SendAsync(api, "POST", "/v2/apps", """{"id":"/conf/stuck","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8,"constraints":[["hostname","LIKE","nowhere"]]}""");
        await RunningAsync(api, "/conf/db", 1);
        var scaled = await SendAsync(api, "PUT", "/v2/apps/conf/db", """{"instances":2}""");
        MarathonSchemas.AssertConforms(scaled.Text, "deploymentResult.DeploymentResult", "PUT /v2/apps/{id}");
        await RunningAsync(api, "/conf/db", 2);
        await Eventually.TrueAsync(async () => (await GetAsync(api, "/v2/queue", true)).Contains("\"reason\"", StringComparison.Ordinal), Wait, "the queue's wait reason");
        await Eventually.TrueAsync(async () => (await GetAsync(api, "/v2/deployments", true)).Contains("\"reason\"", StringComparison.Ordinal), Wait, "a deployment action's wait reason");

        // A task's VIPs come with the opt-in only.
        await Eventually.TrueAsync(async () => (await GetAsync(api, "/v2/apps/conf/web", true)).Contains("\"vips\":[{\"vip\":\"/conf-web:80\"", StringComparison.Ordinal), Wait, "the task's VIP");
        Assert.DoesNotContain("vips", await GetAsync(api, "/v2/apps/conf/web", false), StringComparison.Ordinal);

        foreach (var extensions in new[] { false, true })
        {
            async Task Check(string path, string type, string? withExtensions = null, bool nullForOptional = false) =>
                MarathonSchemas.AssertConforms(await GetAsync(api, path, extensions), extensions ? withExtensions ?? type : type, $"GET {path} (extensions {extensions})", nullForOptional);

            await Check("/v2/info", "MarathonInfo11", "HarrierInfo", nullForOptional: true);
            await Check("/v2/leader", "info.LeaderInfo");
            await Check("/v2/apps", "app.AppList");
            await Check("/v2/apps?embed=apps.tasks&embed=apps.counts&embed=apps.deployments&embed=apps.readiness&embed=apps.lastTaskFailure&embed=apps.taskStats", "app.AppList", "HarrierAppList");
            await Check("/v2/apps/conf/db", "AppSingle", "HarrierAppSingle");
            await Check("/v2/apps/conf/web?embed=app.taskStats&embed=app.lastTaskFailure&embed=app.readiness", "AppSingle", "HarrierAppSingle");
            await Check("/v2/apps/conf/db/versions", "app.VersionList");
            var version = JsonNode.Parse(await GetAsync(api, "/v2/apps/conf/db/versions", extensions))!["versions"]![0]!.GetValue<string>();
            await Check($"/v2/apps/conf/db/versions/{version}", "app.App");
            await Check("/v2/apps/conf/db/tasks", "task.TaskList");
            await Check("/v2/apps/conf/web/tasks", "task.TaskList");
            await Check("/v2/tasks", "task.TaskList");
            await Check("/v2/tasks?status=running", "task.TaskList");
            await Check("/v2/deployments", "deploymentInfo.DeploymentStepInfo[]", "HarrierDeployment[]");
            await Check("/v2/queue", "queue.Queue", "HarrierQueue");
            await Check("/v2/groups", "group.GroupInfo");
            await Check("/v2/groups/conf", "group.GroupInfo");
            await Check("/v2/groups?embed=group.groups&embed=group.apps&embed=group.apps.tasks&embed=group.apps.counts&embed=group.apps.deployments", "group.GroupInfo");

            var dryRun = await SendAsync(api, "PUT", "/v2/apps/conf/db?dryRun=true", """{"cmd":"sleep 2000"}""", extensions);
            MarathonSchemas.AssertConforms(dryRun.Text, extensions ? "HarrierDeployment" : "deploymentInfo.DeploymentStepInfo", $"dryRun (extensions {extensions})");
            MarathonSchemas.AssertConforms((await SendAsync(api, "GET", "/v2/apps/nope", null, extensions, expect: 404)).Text, "error.Error", "a 404");
            MarathonSchemas.AssertConforms((await SendAsync(api, "POST", "/v2/apps", """{"id":"/conf/bad","cmd":"x","cpus":-1}""", extensions, expect: 422)).Text, "ValidationError", "a 422");
        }

        var tasks = JsonNode.Parse(await GetAsync(api, "/v2/apps/conf/db/tasks", false))!["tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();
        MarathonSchemas.AssertConforms((await SendAsync(api, "DELETE", $"/v2/apps/conf/db/tasks/{tasks[0]}", null)).Text, "task.TaskSingle", "DELETE a task");
        MarathonSchemas.AssertConforms((await SendAsync(api, "POST", "/v2/tasks/delete", $$"""{"ids":["{{tasks[1]}}"]}""")).Text, "task.TaskList", "POST /v2/tasks/delete");
        var stuck = JsonNode.Parse(await GetAsync(api, "/v2/deployments", false))!.AsArray()
            .Single(d => d!["affectedApps"]!.AsArray().Any(a => a!.GetValue<string>() == "/conf/stuck"))!["id"]!.GetValue<string>();
        MarathonSchemas.AssertConforms((await SendAsync(api, "DELETE", $"/v2/deployments/{stuck}", null)).Text, "deploymentResult.DeploymentResult", "a rollback");
        MarathonSchemas.AssertConforms((await SendAsync(api, "DELETE", "/v2/apps/conf/db", null)).Text, "deploymentResult.DeploymentResult", "DELETE /v2/apps/{id}");
        try
        {
            await Eventually.TrueAsync(() => RequiredEvents.All(plain.Types.Contains) && harrier.Types.Contains("deployment_waiting_event"), Wait, "every event type");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: missing {string.Join(", ", RequiredEvents.Except(plain.Types))}; seen {string.Join(", ", plain.Types)}; with extensions {string.Join(", ", harrier.Types)}", e);
        }
        await Eventually.TrueAsync(() => light.Types.Contains("app_terminated_event"), Wait, "the light stream to catch up");

        foreach (var (type, data) in plain.Events)
        {
            Assert.DoesNotContain(type, (string[])["deployment_waiting_event", "health_kill_circuit_breaker_event"]);
            MarathonSchemas.AssertConforms(data, type, $"event {type}");
        }
        foreach (var (type, data) in light.Events)
        {
            MarathonSchemas.AssertConforms(data, type.StartsWith("deployment_", StringComparison.Ordinal) ? type + "_light" : type, $"light event {type}");
        }
        foreach (var (type, data) in harrier.Events)
        {
            MarathonSchemas.AssertConforms(data, type, $"event {type} (extensions)");
        }
        Assert.Equal(["deployment_success", "deployment_waiting_event"], named.Types.Order(StringComparer.Ordinal));
    }

    private static Task RunningAsync(ApiHost api, string id, int count) =>
        Eventually.TrueAsync(async () =>
        {
            var tasks = JsonNode.Parse(await GetAsync(api, $"/v2/apps{id}/tasks", false))!["tasks"]!.AsArray();
            return tasks.Count(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING") == count;
        }, Wait, $"{count} running tasks of {id}");

    private static async Task<string> GetAsync(ApiHost api, string path, bool extensions) =>
        (await SendAsync(api, "GET", path, null, extensions)).Text;

    private static async Task<(int Status, string Text)> SendAsync(ApiHost api, string method, string path, string? body, bool extensions = false, int? expect = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        if (extensions)
        {
            request.Headers.Add("Harrier-Extensions", "true");
        }
        using var response = await api.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(expect is null ? status is >= 200 and < 300 : status == expect, $"{method} {path}: {status} {text}");
        return (status, text);
    }
}
