using System.Text.Json.Nodes;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

public sealed class AppsEndpointsTests
{
    [Fact]
    public async Task Post_ThenGet_AnswersMarathonShapesAndHeaders()
    {
        await using var api = await ApiHost.StartAsync();
        var (status, body, response) = await api.SendAsync("POST", "/v2/apps", """{"id":"web","cmd":"sleep 1000","cpus":0.1,"mem":32,"instances":2,"labels":{"tier":"front"}}""");
        Assert.Equal(201, status);
        var deploymentId = response.Headers.GetValues("Marathon-Deployment-Id").Single();
        Assert.Equal(deploymentId, body!["deployments"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("/web", body["id"]!.GetValue<string>());
        Assert.Equal(0, body["tasksRunning"]!.GetValue<int>());
        Assert.True(response.Headers.CacheControl is { NoCache: true, NoStore: true, MustRevalidate: true });
        Assert.True(response.Headers.Contains("X-Marathon-Leader"));
        await api.WaitForRunningAsync("/web", 2);

        var app = (await api.GetAsync("/v2/apps/web"))["app"]!;
        Assert.Equal(2, app["tasks"]!.AsArray().Count);
        Assert.Equal([10000], app["tasks"]![0]!["servicePorts"]!.AsArray().Select(p => p!.GetValue<int>()));
        Assert.NotNull(app["versionInfo"]!["lastConfigChangeAt"]);

        var conflict = await api.SendAsync("POST", "/v2/apps", """{"id":"/web","cmd":"sleep 1"}""");
        Assert.Equal(409, conflict.Status);
        Assert.Equal("An app with id [/web] already exists.", conflict.Body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_FiltersByCmdIdAndLabel_AndEmbedsTasksOnRequest()
    {
        await using var api = await ApiHost.StartAsync();
        await api.SendAsync("POST", "/v2/apps", """{"id":"/a/one","cmd":"python3 serve.py","instances":0,"labels":{"env":"prod","team":"x"}}""");
        await api.SendAsync("POST", "/v2/apps", """{"id":"/b/two","cmd":"sleep 10","instances":0,"labels":{"env":"dev"}}""");
        static IEnumerable<string> Ids(JsonNode list) => list["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>());

        Assert.Equal(["/a/one"], Ids(await api.GetAsync("/v2/apps?cmd=PYTHON")));
        Assert.Equal(["/b/two"], Ids(await api.GetAsync("/v2/apps?id=TWO")));
        Assert.Equal(["/a/one"], Ids(await api.GetAsync("/v2/apps?label=env==prod")));
        Assert.Equal(["/b/two"], Ids(await api.GetAsync("/v2/apps?label=env!=prod")));
        Assert.Equal(["/a/one", "/b/two"], Ids(await api.GetAsync("/v2/apps?label=env%20in%20(prod,dev)")));
        Assert.Equal(["/a/one"], Ids(await api.GetAsync("/v2/apps?label=team")));
        Assert.Equal(["/b/two"], Ids(await api.GetAsync("/v2/apps?label=env%20notin%20(prod)")));
        var bad = await api.SendAsync("GET", "/v2/apps?label=env%3D%3D%3D");
        Assert.Equal(422, bad.Status);
        Assert.StartsWith("Can not parse label selector", bad.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var plain = (await api.GetAsync("/v2/apps"))["apps"]![0]!;
        Assert.NotNull(plain["tasksRunning"]);
        Assert.NotNull(plain["deployments"]);
        Assert.Null(plain["tasks"]);
        Assert.NotNull((await api.GetAsync("/v2/apps?embed=apps.tasks"))["apps"]![0]!["tasks"]);
        Assert.NotNull((await api.GetAsync("/v2/apps?embed=apps.taskStats"))["apps"]![0]!["tasksStats"]);
        Assert.Equal(2, (await api.GetAsync("/v2/apps/*"))["*"]!.AsArray().Count);
        Assert.Equal(["/a/one"], (await api.GetAsync("/v2/apps/a/*"))["*"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PutPartialAndFull_KeepOrResetFields_PutCreatesWith201()
    {
        await using var api = await ApiHost.StartAsync();
        var created = await api.SendAsync("PUT", "/v2/apps/made", """{"cmd":"sleep 100","instances":0,"mem":16}""");
        Assert.Equal(201, created.Status);
        Assert.EndsWith("/made", created.Response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.NotNull(created.Body!["deploymentId"]);

        var partial = await api.SendAsync("PUT", "/v2/apps/made", """{"instances":3}""");
        Assert.Equal(200, partial.Status);
        await api.WaitForRunningAsync("/made", 3);
        Assert.Equal(16, (await api.GetAsync("/v2/apps/made"))["app"]!["mem"]!.GetValue<double>());

        var full = await api.SendAsync("PUT", "/v2/apps/made?partialUpdate=false", """{"cmd":"sleep 100","mem":16}""");
        Assert.Equal(200, full.Status);
        await api.WaitForRunningAsync("/made", 1);
        Assert.Equal(1, (await api.GetAsync("/v2/apps/made"))["app"]!["instances"]!.GetValue<int>());

        var patchMissing = await api.SendAsync("PATCH", "/v2/apps/nope", """{"instances":1}""");
        Assert.Equal(404, patchMissing.Status);
        Assert.Equal("App '/nope' does not exist", patchMissing.Body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Versions_ListAndGetAndRollback()
    {
        await using var api = await ApiHost.StartAsync();
        await api.SendAsync("POST", "/v2/apps", """{"id":"/v","cmd":"sleep 1","instances":0}""");
        var first = (await api.GetAsync("/v2/apps/v"))["app"]!["version"]!.GetValue<string>();
        await api.SendAsync("PUT", "/v2/apps/v", """{"cmd":"sleep 2"}""");
        var versions = (await api.GetAsync("/v2/apps/v/versions"))["versions"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Equal(2, versions.Count);
        Assert.Contains(first, versions);
        Assert.Equal("sleep 1", (await api.GetAsync($"/v2/apps/v/versions/{first}"))["cmd"]!.GetValue<string>());

        var rollback = await api.SendAsync("PUT", "/v2/apps/v", $$"""{"version":"{{first}}"}""");
        Assert.Equal(200, rollback.Status);
        Assert.Equal("sleep 1", (await api.GetAsync("/v2/apps/v"))["app"]!["cmd"]!.GetValue<string>());

        var mixed = await api.SendAsync("PUT", "/v2/apps/v", $$"""{"version":"{{first}}","cmd":"x y"}""");
        Assert.Equal(422, mixed.Status);
        var missing = await api.SendAsync("GET", "/v2/apps/v/versions/2001-01-01T00:00:00.000Z");
        Assert.Equal(404, missing.Status);
        Assert.Equal("App '/v' does not exist in version 2001-01-01T00:00:00.000Z", missing.Body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutAndPatchArrays_OneDeploymentForAll()
    {
        await using var api = await ApiHost.StartAsync();
        var put = await api.SendAsync("PUT", "/v2/apps", """[{"id":"/x1","cmd":"sleep 1","instances":1},{"id":"/x2","cmd":"sleep 1","instances":1}]""");
        Assert.Equal(200, put.Status);
        await api.WaitForRunningAsync("/x1", 1);
        await api.WaitForRunningAsync("/x2", 1);
        var patch = await api.SendAsync("PATCH", "/v2/apps", """[{"id":"/x1","instances":2},{"id":"/x3","instances":1}]""");
        Assert.Equal(404, patch.Status);
        var notArray = await api.SendAsync("PUT", "/v2/apps", """{"id":"/x1"}""");
        Assert.Equal(422, notArray.Status);
    }
}

public sealed class UrlIdTests
{
    [Fact]
    public async Task PutCreate_InvalidIdInUrl_Is422InvalidJsonAtIdPattern()
    {
        await using var api = await ApiHost.StartAsync();
        var (status, body, _) = await api.SendAsync("PUT", "/v2/apps/My_App", """{"cmd":"sleep 1"}""");
        Assert.Equal(422, status);
        Assert.Equal("""{"message":"Invalid JSON","details":[{"path":"/id","errors":["error.pattern"]}]}""", body!.ToJsonString());
    }
}

public sealed class DryRunTests
{
    [Fact]
    public async Task DryRun_CreateAndUpdate_ReturnThePlan_ChangeNothing()
    {
        await using var api = await ApiHost.StartAsync();
        var (status, plan, _) = await api.SendAsync("POST", "/v2/apps?dryRun=true", """{"id":"/dry","cmd":"sleep 1000","instances":2,"cpus":0.1,"mem":8}""");
        Assert.Equal(200, status);
        Assert.Equal(["StartApplication", "ScaleApplication"], plan!["steps"]!.AsArray().Select(s => s!["actions"]![0]!["action"]!.GetValue<string>()));
        Assert.Equal(0, plan["currentStep"]!.GetValue<int>());
        Assert.Equal(404, (await api.SendAsync("GET", "/v2/apps/dry")).Status);
        Assert.Empty((await api.GetAsync("/v2/deployments")).AsArray());

        await api.SendAsync("POST", "/v2/apps", """{"id":"/dry","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8}""");
        await api.WaitForRunningAsync("/dry", 1);
        var restart = await api.SendAsync("PUT", "/v2/apps/dry?dryRun=true", """{"cmd":"sleep 2000"}""");
        Assert.Equal("RestartApplication", restart.Body!["steps"]![0]!["actions"]![0]!["action"]!.GetValue<string>());
        var scale = await api.SendAsync("PUT", "/v2/apps/dry?dryRun=true", """{"instances":3}""");
        Assert.Equal("ScaleApplication", scale.Body!["steps"]![0]!["actions"]![0]!["action"]!.GetValue<string>());
        var app = (await api.GetAsync("/v2/apps/dry"))["app"]!;
        Assert.Equal("sleep 1000", app["cmd"]!.GetValue<string>());
        Assert.Equal(1, app["instances"]!.GetValue<int>());
        Assert.Single((await api.GetAsync("/v2/apps/dry/versions"))["versions"]!.AsArray());
    }
}
