using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.Api.Security;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

/// <summary><c>/harrier/v1/balancers</c> on the whole API: registration, the long poll, confirmations, and what is refused.</summary>
public sealed class BalancersEndpointsTests : IAsyncLifetime
{
    private const string Web = """{"id":"/web","cmd":"sleep 1000","instances":2,"cpus":0.1,"mem":8,"labels":{"HAPROXY_GROUP":"external"}}""";
    private ApiHost _api = null!;

    public async ValueTask InitializeAsync() => _api = await ApiHost.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> RegisterAsync(string id, string groups = """["external"]""") =>
        _api.SendAsync("PUT", $"/harrier/v1/balancers/{id}", $$"""{"groups":{{groups}},"statsUrl":"http://127.0.0.1:9090"}""");

    [Fact]
    public async Task Put_ValidBody_RegistersTheBalancer()
    {
        var (status, body, _) = await RegisterAsync("lb-1.public", """["external","*","external"]""");

        status.ShouldBe(200);
        body!["id"]!.GetValue<string>().ShouldBe("lb-1.public");
        body["groups"]!.AsArray().Select(g => g!.GetValue<string>()).ShouldBe(["external", "*"]);
        body["statsUrl"]!.GetValue<string>().ShouldBe("http://127.0.0.1:9090");
        body["leaseSeconds"]!.GetValue<int>().ShouldBe(15);
        body["pendingDrains"]!.GetValue<int>().ShouldBe(0);
        body["registeredAt"]!.GetValue<string>().ShouldEndWith("Z");
        body["lastSeenAt"]!.GetValue<string>().ShouldEndWith("Z");

        var list = (await _api.GetAsync("/harrier/v1/balancers"))["balancers"]!.AsArray();
        list.Single()!["id"]!.GetValue<string>().ShouldBe("lb-1.public");
        (await _api.GetAsync("/harrier/v1/balancers/lb-1.public"))["groups"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task Routes_UnknownBalancer_Answer404()
    {
        (await _api.SendAsync("GET", "/harrier/v1/balancers/nobody")).Status.ShouldBe(404);
        (await _api.SendAsync("GET", "/harrier/v1/balancers/nobody/drains?wait=0")).Status.ShouldBe(404);
        (await _api.SendAsync("POST", "/harrier/v1/balancers/nobody/drains", """{"taskIds":[]}""")).Status.ShouldBe(404);
        var (status, body, _) = await _api.SendAsync("DELETE", "/harrier/v1/balancers/nobody");
        status.ShouldBe(404);
        body!["message"]!.GetValue<string>().ShouldContain("not registered");
    }

    [Fact]
    public async Task Delete_RegisteredBalancer_RemovesIt()
    {
        (await RegisterAsync("lb-1")).Status.ShouldBe(200);

        (await _api.SendAsync("DELETE", "/harrier/v1/balancers/lb-1")).Status.ShouldBe(200);

        (await _api.SendAsync("GET", "/harrier/v1/balancers/lb-1")).Status.ShouldBe(404);
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("-leading-dash")]
    [InlineData("has%20space")]
    [InlineData("a0123456789012345678901234567890123456789012345678901234567890123")]
    [InlineData("semi;colon")]
    public async Task Routes_BadId_Answer422(string id)
    {
        (await RegisterAsync(id)).Status.ShouldBe(422);
        (await _api.SendAsync("GET", $"/harrier/v1/balancers/{id}/drains?wait=0")).Status.ShouldBe(422);
        (await _api.SendAsync("POST", $"/harrier/v1/balancers/{id}/drains", """{"taskIds":[]}""")).Status.ShouldBe(422);
    }

    [Theory]
    [InlineData("""{}""", "/groups")]
    [InlineData("""{"groups":null}""", "/groups")]
    [InlineData("""{"groups":[]}""", "/groups")]
    [InlineData("""{"groups":"external"}""", "/groups")]
    [InlineData("""{"groups":[1]}""", "/groups(0)")]
    [InlineData("""{"groups":["ok","new\nline"]}""", "/groups(1)")]
    [InlineData("""{"groups":["ex ternal"]}""", "/groups(0)")]
    [InlineData("""{"groups":["a,b"]}""", "/groups(0)")]
    [InlineData("""{"groups":["a"],"statsUrl":"ftp://127.0.0.1/"}""", "/statsUrl")]
    [InlineData("""{"groups":["a"],"statsUrl":"/relative"}""", "/statsUrl")]
    [InlineData("""{"groups":["a"],"statsUrl":5}""", "/statsUrl")]
    [InlineData("""[]""", "/")]
    [InlineData("""7""", "/")]
    public async Task Put_BadBody_Answers422WithThePath(string body, string path)
    {
        var (status, json, _) = await _api.SendAsync("PUT", "/harrier/v1/balancers/lb-1", body);

        status.ShouldBe(422);
        json!["details"]!.AsArray().Select(d => d!["path"]!.GetValue<string>()).ShouldContain(path);
        (await _api.SendAsync("GET", "/harrier/v1/balancers/lb-1")).Status.ShouldBe(404);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"taskIds":"t"}""")]
    [InlineData("""{"taskIds":[null]}""")]
    [InlineData("""{"taskIds":[""]}""")]
    [InlineData("""[]""")]
    public async Task PostDrains_BadBody_Answers422(string body)
    {
        (await RegisterAsync("lb-1")).Status.ShouldBe(200);

        (await _api.SendAsync("POST", "/harrier/v1/balancers/lb-1/drains", body)).Status.ShouldBe(422);
    }

    [Theory]
    [InlineData("31")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    public async Task GetDrains_BadWait_Answers422(string wait)
    {
        (await RegisterAsync("lb-1")).Status.ShouldBe(200);

        (await _api.SendAsync("GET", $"/harrier/v1/balancers/lb-1/drains?wait={wait}")).Status.ShouldBe(422);
    }

    [Fact]
    public async Task Routes_HostileBodies_NeverAnswer500()
    {
        (await RegisterAsync("lb-1")).Status.ShouldBe(200);
        var bodies = new[]
        {
            "", " ", "{", "null", "true", "\"\"", "{\"groups\":{\"a\":1}}", "{\"groups\":[[]]}", "{\"groups\":[\"*\"],\"statsUrl\":\"http://\"}",
            "{\"groups\":[\"*\"],\"statsUrl\":\"http://x/\\u0000\"}", "{\"taskIds\":[{}]}", "{\"taskIds\":[\"" + new string('t', 5000) + "\"]}",
            new string('[', 200) + new string(']', 200), "{\"groups\":[" + string.Join(",", Enumerable.Repeat("\"g\"", 100)) + "]}",
            "{\"taskIds\":[" + string.Join(",", Enumerable.Repeat("\"t\"", 10_001)) + "]}", "\uFEFF{}", "{\"groups\":[\"\\ud800\"]}",
        };
        foreach (var body in bodies)
        {
            foreach (var (method, path) in new[] { ("PUT", "/harrier/v1/balancers/lb-1"), ("POST", "/harrier/v1/balancers/lb-1/drains"), ("PUT", "/harrier/v1/balancers/lb-2") })
            {
                var (status, _, _) = await _api.SendAsync(method, path, body);
                status.ShouldBeLessThan(500, $"{method} {path} {body[..Math.Min(body.Length, 40)]}");
            }
        }
    }

    [Fact]
    public async Task GetDrains_ScaleDownOfFrontedApp_ReturnsAsSoonAsTheDrainIsRequested_AndTheKillWaitsForTheConfirmation()
    {
        (await _api.SendAsync("POST", "/v2/apps", Web)).Status.ShouldBe(201);
        await _api.WaitForRunningAsync("/web", 2);
        (await RegisterAsync("lb-1")).Status.ShouldBe(200);

        var started = DateTime.UtcNow;
        var poll = _api.SendAsync("GET", "/harrier/v1/balancers/lb-1/drains?wait=25");
        await Task.Delay(200);
        poll.IsCompleted.ShouldBeFalse();
        (await _api.SendAsync("PUT", "/v2/apps/web", """{"instances":1}""")).Status.ShouldBe(200);

        var (status, body, _) = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        status.ShouldBe(200);
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(20));
        var drain = body!["drains"]!.AsArray().Single()!;
        drain["appId"]!.GetValue<string>().ShouldBe("/web");
        drain["host"]!.GetValue<string>().ShouldBe("127.0.0.1");
        drain["ports"]!.AsArray().Count.ShouldBe(1);
        var taskId = drain["taskId"]!.GetValue<string>();
        drain["requestedAt"]!.GetValue<string>().ShouldEndWith("Z");
        drain["deadline"]!.GetValue<string>().ShouldEndWith("Z");

        // Held: the task is still running, two tasks listed, the balancer shows the pending drain.
        (await _api.GetAsync("/v2/apps/web/tasks"))["tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ShouldContain(taskId);
        (await _api.GetAsync("/harrier/v1/balancers/lb-1"))["pendingDrains"]!.GetValue<int>().ShouldBe(1);
        (await ReadMetricsAsync()).ShouldContain("harrier_balancer_kill_holds 1");

        var (confirmedStatus, confirmed, _) = await _api.SendAsync("POST", "/harrier/v1/balancers/lb-1/drains", $$"""{"taskIds":["{{taskId}}","unknown-task"]}""");
        confirmedStatus.ShouldBe(200);
        confirmed!["confirmed"]!.GetValue<int>().ShouldBe(1);
        await _api.WaitForRunningAsync("/web", 1);
        var metrics = await ReadMetricsAsync();
        metrics.ShouldContain("harrier_balancer_kill_holds 0");
        metrics.ShouldContain("harrier_balancer_kill_holds_ended_total{outcome=\"confirmed\"}");
        metrics.ShouldContain("harrier_balancer_kill_hold_seconds_count");
    }

    [Fact]
    public async Task DeleteTask_FrontedApp_GoesThroughTheGate()
    {
        (await _api.SendAsync("POST", "/v2/apps", Web.Replace("\"instances\":2", "\"instances\":1", StringComparison.Ordinal))).Status.ShouldBe(201);
        await _api.WaitForRunningAsync("/web", 1);
        (await RegisterAsync("lb-1")).Status.ShouldBe(200);
        var taskId = (await _api.GetAsync("/v2/apps/web/tasks"))["tasks"]![0]!["id"]!.GetValue<string>();

        (await _api.SendAsync("DELETE", $"/v2/apps/web/tasks/{taskId}")).Status.ShouldBe(200);

        var drains = (await _api.SendAsync("GET", "/harrier/v1/balancers/lb-1/drains?wait=10")).Body!["drains"]!.AsArray();
        drains.Single()!["taskId"]!.GetValue<string>().ShouldBe(taskId);
        (await _api.GetAsync("/v2/apps/web/tasks"))["tasks"]![0]!["state"]!.GetValue<string>().ShouldBe("TASK_RUNNING");
        (await _api.SendAsync("POST", "/harrier/v1/balancers/lb-1/drains", $$"""{"taskIds":["{{taskId}}"]}""")).Body!["confirmed"]!.GetValue<int>().ShouldBe(1);
        await Eventually.TrueAsync(
            async () => (await _api.GetAsync("/v2/apps/web/tasks"))["tasks"]!.AsArray().Any(t => t!["id"]!.GetValue<string>() != taskId && t["state"]!.GetValue<string>() == "TASK_RUNNING"),
            TimeSpan.FromSeconds(10),
            "the replacement task");
    }

    [Fact]
    public async Task GetDrains_NothingToDrain_AnswersAnEmptyListAfterTheWait()
    {
        (await RegisterAsync("lb-1")).Status.ShouldBe(200);

        var started = DateTime.UtcNow;
        var (status, body, _) = await _api.SendAsync("GET", "/harrier/v1/balancers/lb-1/drains?wait=1");

        status.ShouldBe(200);
        body!["drains"]!.AsArray().ShouldBeEmpty();
        (DateTime.UtcNow - started).ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
    }

    private async Task<string> ReadMetricsAsync() => await (await _api.Client.GetAsync("/metrics")).Content.ReadAsStringAsync();
}
