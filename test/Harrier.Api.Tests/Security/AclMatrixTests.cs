using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.Api.Security;
using Harrier.Api.Tests.Endpoints;
using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Security;

/// <summary>
/// Principals × endpoints × paths on the whole API with authentication on: each cell is allowed or a 403, and nothing
/// under a path a principal may not read shows through lists, embeds, groups, tasks, the queue, deployments, events
/// or logs.
/// </summary>
public sealed class AclMatrixTests : IAsyncLifetime
{
    private static readonly AuthenticationHeaderValue Admin = BasicHeader("admin", "admin-pw");
    private static readonly AuthenticationHeaderValue Dev = BasicHeader("dev", "dev-pw");
    private static readonly AuthenticationHeaderValue ProdReader = new("Bearer", "hrt_prod_reader");
    private static readonly AuthenticationHeaderValue WebOnly = new("Bearer", "hrt_web_only");

    private ApiHost _api = null!;
    private HttpClient _bare = null!;
    private string _prodTask = "";
    private string _devTask = "";

    private static AuthenticationHeaderValue BasicHeader(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async ValueTask InitializeAsync()
    {
        _api = await ApiHost.StartAsync(auth: o =>
        {
            o.Credentials.Add(new("admin", "admin-pw"));
            o.Acl.Add(new AclEntry("dev", PasswordHash.Create("dev-pw", 10_000), null, [PathGrant.Parse("/dev/*", AccessAction.Write)]));
            o.Acl.Add(new AclEntry("prod-reader", null, TokenHash.Of("hrt_prod_reader"), [PathGrant.Parse("/prod/*", AccessAction.Read)]));
            o.Acl.Add(new AclEntry("web-only", null, TokenHash.Of("hrt_web_only"), [PathGrant.Parse("/prod/web", AccessAction.Write)]));
        }, clientAuthorization: Admin);
        foreach (var app in new[] { "/dev/a", "/prod/web", "/prod/db" })
        {
            Assert.Equal(201, (await _api.SendAsync("POST", "/v2/apps", $$"""{"id":"{{app}}","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8}""")).Status);
            await _api.WaitForRunningAsync(app, 1);
        }
        // Never placeable: stays in the queue and keeps a deployment open.
        Assert.Equal(201, (await _api.SendAsync("POST", "/v2/apps", """{"id":"/prod/stuck","cmd":"sleep 1000","instances":1,"cpus":100,"mem":8}""")).Status);
        await Eventually.TrueAsync(async () => (await _api.GetAsync("/v2/queue"))["queue"]!.AsArray().Count == 1, TimeSpan.FromSeconds(10), "/prod/stuck queued");
        _bare = new HttpClient(_api.CreateHandler()) { BaseAddress = _api.Client.BaseAddress };
        _prodTask = (await _api.GetAsync("/v2/apps/prod/web/tasks"))["tasks"]![0]!["id"]!.GetValue<string>();
        _devTask = (await _api.GetAsync("/v2/apps/dev/a/tasks"))["tasks"]![0]!["id"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        _bare?.Dispose();
        await _api.DisposeAsync();
    }

    private async Task<(int Status, string Body, HttpResponseMessage Response)> Send(AuthenticationHeaderValue? who, string method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = who;
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        // A client without default headers, so "no credentials" really sends none.
        var response = await _bare.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static TheoryData<string, string, string, int> Cells() => new()
    {
        // principal, method, path, expected status (200-class allowed is written as 200)
        { "dev", "GET", "/v2/apps/dev/a", 200 },
        { "dev", "GET", "/v2/apps/prod/web", 403 },
        { "dev", "GET", "/v2/apps/prod/no-such-app", 403 },
        { "dev", "GET", "/v2/apps/prod/web/tasks", 403 },
        { "dev", "GET", "/v2/apps/prod/web/versions", 403 },
        { "dev", "GET", "/v2/apps/prod/*", 403 },
        { "dev", "GET", "/v2/groups/prod", 403 },
        { "dev", "PUT", "/v2/apps/dev/a?dryRun=true", 200 },
        { "dev", "PUT", "/v2/apps/prod/web?dryRun=true", 403 },
        { "dev", "DELETE", "/v2/apps/prod/web", 403 },
        { "dev", "POST", "/v2/apps/prod/web/restart", 403 },
        { "dev", "DELETE", "/v2/queue/prod/stuck/delay", 403 },
        { "dev", "GET", "/v2/agents", 403 },
        { "dev", "GET", "/v2/orphans", 403 },
        { "dev", "GET", "/metrics", 403 },
        { "dev", "DELETE", "/v2/leader", 403 },
        { "dev", "GET", "/v2/info", 200 },
        { "prod-reader", "GET", "/v2/apps/prod/web", 200 },
        { "prod-reader", "GET", "/v2/apps/prod/*", 200 },
        { "prod-reader", "GET", "/v2/apps/prod/web/tasks", 200 },
        { "prod-reader", "GET", "/v2/apps/dev/a", 403 },
        { "prod-reader", "PUT", "/v2/apps/prod/web?dryRun=true", 403 },
        { "prod-reader", "DELETE", "/v2/apps/prod/web", 403 },
        { "web-only", "PUT", "/v2/apps/prod/web?dryRun=true", 200 },
        { "web-only", "GET", "/v2/apps/prod/db", 403 },
        { "web-only", "GET", "/v2/groups/prod", 200 },
        { "web-only", "GET", "/v2/agents", 403 },
        { "admin", "GET", "/v2/agents", 200 },
        { "admin", "GET", "/metrics", 200 },
        { "admin", "GET", "/v2/orphans", 200 },
        { "none", "GET", "/v2/info", 401 },
        { "none", "GET", "/v2/apps", 401 },
        { "none", "GET", "/ping", 200 },
        { "wrong", "GET", "/v2/apps", 401 },
    };

    private static AuthenticationHeaderValue? Who(string name) => name switch
    {
        "admin" => Admin,
        "dev" => Dev,
        "prod-reader" => ProdReader,
        "web-only" => WebOnly,
        "wrong" => BasicHeader("dev", "not-the-password"),
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Endpoint_PrincipalAndPath_AllowedOr403(string principal, string method, string path, int expected)
    {
        var (status, body, response) = await Send(Who(principal), method, path, method is "PUT" ? """{"instances":2}""" : null);
        if (expected == 200)
        {
            Assert.True(status is >= 200 and < 300, $"{principal} {method} {path}: {status} {body}");
            return;
        }
        Assert.Equal(expected, status);
        var message = JsonNode.Parse(body)!["message"]!.GetValue<string>();
        if (expected == 401)
        {
            Assert.Equal("Invalid username or password.", message);
            Assert.Equal("Basic realm=\"Mesosphere\"", response.Headers.WwwAuthenticate.ToString());
        }
        else
        {
            Assert.Equal("Not Authorized to perform this action!", message);
        }
    }

    [Fact]
    public async Task Lists_ShowOnlyReadableApps_InAppsGroupsTasksQueueAndDeployments()
    {
        foreach (var (who, readable) in new[] { (Dev, "/dev/"), (ProdReader, "/prod/"), (WebOnly, "/prod/web") })
        {
            var apps = JsonNode.Parse((await Send(who, "GET", "/v2/apps?embed=apps.tasks&embed=apps.deployments&embed=apps.lastTaskFailure")).Body)!["apps"]!.AsArray();
            Assert.NotEmpty(apps);
            Assert.All(apps, a => Assert.StartsWith(readable, a!["id"]!.GetValue<string>(), StringComparison.Ordinal));
            Assert.All(apps.SelectMany(a => a!["tasks"]!.AsArray()), t => Assert.StartsWith(readable, t!["appId"]!.GetValue<string>(), StringComparison.Ordinal));

            var tasks = JsonNode.Parse((await Send(who, "GET", "/v2/tasks")).Body)!["tasks"]!.AsArray();
            Assert.NotEmpty(tasks);
            Assert.All(tasks, t => Assert.StartsWith(readable, t!["appId"]!.GetValue<string>(), StringComparison.Ordinal));

            var groups = (await Send(who, "GET", "/v2/groups")).Body;
            var ids = AppIds(JsonNode.Parse(groups)!);
            Assert.NotEmpty(ids);
            Assert.All(ids, id => Assert.StartsWith(readable, id, StringComparison.Ordinal));

            var queue = (await Send(who, "GET", "/v2/queue")).Body;
            var deployments = (await Send(who, "GET", "/v2/deployments")).Body;
            var seesStuck = who == ProdReader;
            Assert.Equal(seesStuck, queue.Contains("/prod/stuck", StringComparison.Ordinal));
            Assert.Equal(seesStuck, deployments.Contains("/prod/stuck", StringComparison.Ordinal));
        }
    }

    private static List<string> AppIds(JsonNode group) =>
        [.. group["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()), .. group["groups"]!.AsArray().SelectMany(g => AppIds(g!))];

    [Fact]
    public async Task BodyIds_CreateUpdateManyAndKillTasks_NeedWriteOnEveryId()
    {
        Assert.Equal(403, (await Send(Dev, "POST", "/v2/apps?dryRun=true", """{"id":"/prod/new","cmd":"sleep 1"}""")).Status);
        Assert.Equal(200, (await Send(Dev, "POST", "/v2/apps?dryRun=true", """{"id":"/dev/new","cmd":"sleep 1"}""")).Status);
        Assert.Equal(403, (await Send(Dev, "PUT", "/v2/apps?dryRun=true", """[{"id":"/dev/a","instances":2},{"id":"/prod/web","instances":0}]""")).Status);
        Assert.Equal(403, (await Send(Dev, "PATCH", "/v2/apps?dryRun=true", """[{"id":"/prod/web","instances":0}]""")).Status);
        Assert.Equal(403, (await Send(Dev, "POST", "/v2/tasks/delete", $$"""{"ids":["{{_devTask}}","{{_prodTask}}"]}""")).Status);
        Assert.Equal(403, (await Send(ProdReader, "POST", "/v2/tasks/delete", $$"""{"ids":["{{_prodTask}}"]}""")).Status);
        Assert.Equal(403, (await Send(Dev, "DELETE", $"/v2/apps/prod/web/tasks/{_prodTask}")).Status);
        var stuck = JsonNode.Parse((await Send(Admin, "GET", "/v2/deployments")).Body)!.AsArray().Single()!["id"]!.GetValue<string>();
        Assert.Equal(403, (await Send(Dev, "DELETE", $"/v2/deployments/{stuck}")).Status);
        Assert.Equal(403, (await Send(ProdReader, "DELETE", $"/v2/deployments/{stuck}")).Status);
        // Nothing of the above changed anything.
        Assert.Single((await _api.GetAsync("/v2/apps/prod/web/tasks"))["tasks"]!.AsArray());
        Assert.Single((await _api.GetAsync("/v2/deployments")).AsArray());
        Assert.Equal(4, (await _api.GetAsync("/v2/apps"))["apps"]!.AsArray().Count);
    }

    [Fact]
    public async Task GroupBodies_NeedWriteOnEveryGroupAndAppTheyName_GroupVerbsOnTheGroup()
    {
        Assert.Equal(201, (await Send(Dev, "POST", "/v2/groups", """{"id":"/dev/g","apps":[{"id":"x","cmd":"sleep 1","instances":0}]}""")).Status);
        Assert.Equal(403, (await Send(Dev, "POST", "/v2/groups", """{"id":"/prod/new","apps":[{"id":"x","cmd":"sleep 1","instances":0}]}""")).Status);
        // The root's groups list would replace /prod: it needs write on /, all or nothing.
        Assert.Equal(403, (await Send(Dev, "PUT", "/v2/groups", """{"groups":[{"id":"/dev","groups":[{"id":"g"}]}]}""")).Status);
        Assert.Equal(403, (await Send(Dev, "PUT", "/v2/groups/dev/g", """{"id":"/prod","apps":[]}""")).Status);
        Assert.Equal(403, (await Send(Dev, "PUT", "/v2/groups/prod?dryRun=true", """{"scaleBy":2}""")).Status);
        Assert.Equal(403, (await Send(WebOnly, "PUT", "/v2/groups/prod", """{"scaleBy":2}""")).Status);
        Assert.Equal(403, (await Send(ProdReader, "PATCH", "/v2/groups/prod", """{"enforceRole":true}""")).Status);
        Assert.Equal(403, (await Send(Dev, "DELETE", "/v2/groups")).Status);
        Assert.Equal(403, (await Send(Dev, "DELETE", "/v2/groups/prod")).Status);
        Assert.Equal(403, (await Send(Dev, "GET", "/v2/groups/prod/versions")).Status);
        Assert.Equal(200, (await Send(Dev, "GET", "/v2/groups/dev/g/versions")).Status);
        Assert.Equal(200, (await Send(Dev, "PUT", "/v2/groups/dev/g?dryRun=true", """{"scaleBy":2}""")).Status);
        // Nothing under /prod changed.
        Assert.Equal(["/dev/a", "/dev/g/x", "/prod/db", "/prod/stuck", "/prod/web"], (await _api.GetAsync("/v2/apps"))["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(200, (await Send(Dev, "DELETE", "/v2/groups/dev/g")).Status);
    }

    [Fact]
    public async Task Logs_OfAnotherPathsTask_Are403_ReadableOnesAreNot()
    {
        Assert.Equal(403, (await Send(Dev, "GET", $"/v2/apps/prod/web/tasks/{_prodTask}/logs")).Status);
        // Naming a readable app with another app's task id finds nothing: the task must belong to the app in the URL.
        Assert.Equal(404, (await Send(Dev, "GET", $"/v2/apps/dev/a/tasks/{_prodTask}/logs")).Status);
        Assert.NotEqual(403, (await Send(Dev, "GET", $"/v2/apps/dev/a/tasks/{_devTask}/logs")).Status);
    }

    [Fact]
    public async Task Events_CarryOnlyReadableAppsEvents()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var text = new StringBuilder();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/events");
        request.Headers.Authorization = Dev;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _bare.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal(200, (int)response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        // Changes under /prod first, then one under /dev: by the time /dev's event arrives, /prod's were published.
        Assert.Equal(200, (await _api.SendAsync("PUT", "/v2/apps/prod/db", """{"instances":2}""")).Status);
        await Eventually.TrueAsync(async () => (await _api.GetAsync("/v2/apps/prod/db"))["app"]!["tasksRunning"]!.GetValue<int>() == 2, TimeSpan.FromSeconds(10), "2 tasks of /prod/db");
        Assert.Equal(200, (await _api.SendAsync("PUT", "/v2/apps/dev/a", """{"instances":2}""")).Status);
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            text.AppendLine(line);
            if (line.Contains("/dev/a", StringComparison.Ordinal) && line.Contains("TASK_RUNNING", StringComparison.Ordinal))
            {
                break;
            }
        }
        var seen = text.ToString();
        Assert.Contains("/dev/a", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("/prod", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("event_stream_attached", seen, StringComparison.Ordinal);
    }
}
