using System.Net;
using System.Text.Json.Nodes;
using Harrier.E2E.Tests.Health;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Events;

/// <summary>
/// One app's whole life recorded from <c>/v2/events</c> (§14.2): create, scale to 2, one task fails its health check
/// and is killed and replaced, upgrade, delete. The events must contain the causally ordered chain below (other events
/// may sit in between; ordering across unrelated types is not asserted) and carry the right key fields.
/// </summary>
public sealed class AppLifeEventsTests
{
    private const string Id = "/events/life";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task AppLife_CreateScaleHealthKillUpgradeDelete_EventsFollowInOrder()
    {
        await using var dev = await HarrierDev.StartAsync();
        await using var events = await EventRecorder.StartAsync(dev);

        var app = TestAppDefinition.App(Id, 1, "v1");
        app["healthChecks"] = new JsonArray(TestAppDefinition.HttpCheck(intervalSeconds: 1, graceSeconds: 5, maxFailures: 1));
        var (created, _, post) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", app.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, created);
        var create = post.Headers.GetValues("Marathon-Deployment-Id").Single();
        await AppTasks.WaitHealthyAsync(dev, Id, 1);

        var scale = await DeploymentOfAsync(dev, HttpMethod.Put, TestAppDefinition.Update(new JsonObject { ["instances"] = 2 }));
        var tasks = await AppTasks.WaitHealthyAsync(dev, Id, 2);

        var victim = AppTasks.Id(tasks[0]!);
        var victimInstance = TestAppDefinition.InstanceOf(victim);
        await AppTasks.PostAsync(tasks[0]!, "/health/fail");
        var replacement = await Eventually.WaitAsync(async () =>
            (await AppTasks.ListAsync(dev, Id)).Select(t => AppTasks.Id(t!)).FirstOrDefault(t => t != victim && TestAppDefinition.InstanceOf(t) == victimInstance),
            Wait, "the victim's replacement", TimeSpan.FromMilliseconds(100));
        await AppTasks.WaitHealthyAsync(dev, Id, 2);

        var upgrade = await DeploymentOfAsync(dev, HttpMethod.Put, TestAppDefinition.Update(new JsonObject { ["cmd"] = TestAppDefinition.Cmd("v2") }));
        await AppTasks.WaitAllVersionAsync(dev, Id, 2, "v2", Wait);
        var delete = await DeploymentOfAsync(dev, HttpMethod.Delete, null);
        await events.WaitForAsync(e => Is(e, "deployment_success") && EventRecorder.Str(e, "id") == delete, Wait, "the delete's deployment_success");

        var chain = new (string Type, string What, Func<JsonNode, bool> Match)[]
        {
            ("deployment_info", "create starts", e => PlanId(e) == create),
            ("status_update_event", "first task running", e => AppOf(e) && EventRecorder.Str(e, "taskStatus") == "TASK_RUNNING"),
            ("health_status_changed_event", "first task alive", e => AppOf(e) && e["alive"]?.GetValue<bool>() == true),
            ("deployment_success", "create done", e => EventRecorder.Str(e, "id") == create),
            ("deployment_info", "scale starts", e => PlanId(e) == scale),
            ("deployment_success", "scale done", e => EventRecorder.Str(e, "id") == scale),
            ("failed_health_check_event", "victim fails (taskId holds the instance id)", e => AppOf(e) && EventRecorder.Str(e, "taskId") == victimInstance),
            ("unhealthy_instance_kill_event", "victim killed", e => AppOf(e) && EventRecorder.Str(e, "taskId") == victim && EventRecorder.Str(e, "instanceId") == victimInstance),
            ("status_update_event", "victim task killed", e => EventRecorder.Str(e, "taskId") == victim && EventRecorder.Str(e, "taskStatus") == "TASK_KILLED"),
            ("status_update_event", "replacement running", e => EventRecorder.Str(e, "taskId") == replacement && EventRecorder.Str(e, "taskStatus") == "TASK_RUNNING"),
            ("health_status_changed_event", "replacement alive", e => EventRecorder.Str(e, "instanceId") == victimInstance && e["alive"]?.GetValue<bool>() == true),
            ("deployment_info", "upgrade starts", e => PlanId(e) == upgrade),
            ("deployment_step_success", "upgrade step done", e => PlanId(e) == upgrade),
            ("deployment_success", "upgrade done", e => EventRecorder.Str(e, "id") == upgrade),
            ("deployment_info", "delete starts", e => PlanId(e) == delete),
            ("app_terminated_event", "app terminated", e => AppOf(e)),
            ("deployment_success", "delete done", e => EventRecorder.Str(e, "id") == delete),
        };
        var recorded = events.Events;
        var at = 0;
        foreach (var (type, what, match) in chain)
        {
            var found = recorded.Skip(at).Select((e, i) => (e, i)).FirstOrDefault(x => Is(x.e, type) && match(x.e));
            Assert.True(found.e is not null, $"no {type} ({what}) after position {at}; recorded: {events.Summary()}");
            at += found.i + 1;
        }

        // Key fields of the events that may come in any order.
        var posts = recorded.Where(e => Is(e, "api_post_event") && e["appDefinition"]?["id"]?.GetValue<string>() == Id).ToList();
        Assert.True(posts.Count >= 3, $"expected api_post_event for create, scale and upgrade; got {posts.Count}");
        Assert.All(posts, e => Assert.NotNull(EventRecorder.Str(e, "uri")));
        Assert.Contains(recorded, e => Is(e, "group_change_success"));
        Assert.Contains(recorded, e => Is(e, "health_status_changed_event") && EventRecorder.Str(e, "instanceId") == victimInstance && e["alive"]?.GetValue<bool>() == false);
        Assert.Contains(recorded, e => Is(e, "instance_health_changed_event") && EventRecorder.Str(e, "instanceId") == victimInstance
            && EventRecorder.Str(e, "runSpecId") == Id && e["healthy"]?.GetValueKind() == System.Text.Json.JsonValueKind.False);
        Assert.Contains(recorded, e => Is(e, "instance_changed_event") && EventRecorder.Str(e, "instanceId") == victimInstance
            && EventRecorder.Str(e, "runSpecId") == Id && EventRecorder.Str(e, "condition") == "Running" && e["runSpecVersion"] is not null);
        var running = recorded.First(e => Is(e, "status_update_event") && EventRecorder.Str(e, "taskId") == replacement && EventRecorder.Str(e, "taskStatus") == "TASK_RUNNING");
        Assert.Equal(Id, EventRecorder.Str(running, "appId"));
        Assert.NotNull(EventRecorder.Str(running, "slaveId"));
        Assert.Equal("127.0.0.1", EventRecorder.Str(running, "host"));
        Assert.NotEmpty(running["ports"]!.AsArray());
        Assert.NotNull(EventRecorder.Str(running, "version"));
        Assert.All(recorded.Where(e => Is(e, "failed_health_check_event") && AppOf(e)), e => Assert.Equal("HTTP", e["healthCheck"]?["protocol"]?.GetValue<string>()));
    }

    private static bool Is(JsonNode e, string type) => EventRecorder.Type(e) == type;

    private static bool AppOf(JsonNode e) => EventRecorder.Str(e, "appId") == Id;

    private static string? PlanId(JsonNode e) => e["plan"]?["id"]?.GetValue<string>();

    private static async Task<string> DeploymentOfAsync(HarrierDev dev, HttpMethod method, string? json)
    {
        var (status, body, _) = await dev.SendAsync(method, $"/v2/apps{Id}", json);
        Assert.True(status == HttpStatusCode.OK, $"{method} {Id} -> {(int)status}: {body?.ToJsonString()}");
        return body!["deploymentId"]!.GetValue<string>();
    }
}
