using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

public sealed class GroupsEndpointsTests
{
    private const string Tiny = "\"cmd\":\"sleep 1000\",\"cpus\":0.01,\"mem\":1,\"portDefinitions\":[]";

    [Fact]
    public async Task Put_RamlGroupExample_CreatesTheTreeItDescribes()
    {
        var folder = SharedData.Folder("marathon-examples", out var skip);
        if (folder is null)
        {
            Assert.Skip(skip!);
        }
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "examples", "group.json")))!;
        // The example is a GET answer (GroupInfo); as a body its versions are not allowed beside other fields.
        StripVersions(example);
        await using var api = await ApiHost.StartAsync();

        var (status, body, response) = await api.SendAsync("PUT", "/v2/groups", example.ToJsonString());

        Assert.Equal(200, status);
        Assert.Equal(response.Headers.GetValues("Marathon-Deployment-Id").Single(), body!["deploymentId"]!.GetValue<string>());
        var tools = (await api.GetAsync("/v2/groups/tools"))!;
        Assert.Equal(["/tools/datadog-agent", "/tools/oauth-server"], tools["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Order());
        Assert.Equal(["/tools/docker", "/tools/log"], tools["groups"]!.AsArray().Select(g => g!["id"]!.GetValue<string>()).Order());
        var registry = tools["groups"]!.AsArray().Single(g => g!["id"]!.GetValue<string>() == "/tools/docker")!["apps"]![0]!;
        Assert.Equal("/tools/docker/registry", registry["id"]!.GetValue<string>());
        Assert.Equal("registry", registry["container"]!["docker"]!["image"]!.GetValue<string>());
        Assert.Equal(5, (await api.GetAsync("/v2/apps/tools/datadog-agent"))["app"]!["instances"]!.GetValue<int>());
    }

    [Fact]
    public async Task Post_NestedGroupsWithDependencies_OneDeploymentStartingDependenciesFirst()
    {
        await using var api = await ApiHost.StartAsync();
        var shop = $$"""
            {"id":"/shop","groups":[
              {"id":"web","dependencies":["../db"],"apps":[{"id":"frontend",{{Tiny}}}]},
              {"id":"db","apps":[{"id":"pg",{{Tiny}}},{"id":"cache",{{Tiny}},"dependencies":["pg"]}]}]}
            """;

        var dry = await api.SendAsync("PUT", "/v2/groups?dryRun=true", shop);
        Assert.Equal(200, dry.Status);
        var steps = dry.Body!["steps"]!.AsArray().Select(s => s!["actions"]!.AsArray().Select(a => $"{a!["action"]}:{a["app"]}").Order().ToArray()).ToArray();
        Assert.Equal(
            [
                ["StartApplication:/shop/db/cache", "StartApplication:/shop/db/pg", "StartApplication:/shop/web/frontend"],
                ["ScaleApplication:/shop/db/pg"],
                ["ScaleApplication:/shop/db/cache"],
                ["ScaleApplication:/shop/web/frontend"],
            ],
            steps);
        Assert.Empty((await api.GetAsync("/v2/apps"))["apps"]!.AsArray());

        var (status, body, response) = await api.SendAsync("POST", "/v2/groups", shop);
        Assert.Equal(201, status);
        Assert.EndsWith("/shop", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.NotNull(body!["deploymentId"]);
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(20), "the group deployment to finish");
        var tasks = (await api.GetAsync("/v2/tasks"))["tasks"]!.AsArray().ToDictionary(t => t!["appId"]!.GetValue<string>(), t => t!);
        Assert.True(Started(tasks["/shop/db/pg"]) <= Staged(tasks["/shop/db/cache"]), "cache staged only after pg ran");
        Assert.True(Started(tasks["/shop/db/cache"]) <= Staged(tasks["/shop/web/frontend"]), "frontend staged only after the db group ran");

        var again = await api.SendAsync("POST", "/v2/groups", """{"id":"/shop"}""");
        Assert.Equal(409, again.Status);
        Assert.Equal("Group /shop is already created. Use PUT to change this group.", again.Body!["message"]!.GetValue<string>());
        var tree = await api.GetAsync("/v2/groups/shop?embed=group.groups&embed=group.apps.tasks");
        Assert.Equal(["/shop/db"], tree["groups"]!.AsArray().Single(g => g!["id"]!.GetValue<string>() == "/shop/web")!["dependencies"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Single(tree["groups"]!.AsArray().Single(g => g!["id"]!.GetValue<string>() == "/shop/web")!["apps"]![0]!["tasks"]!.AsArray());
    }

    [Fact]
    public async Task Put_DependencyCycle_Refused422()
    {
        await using var api = await ApiHost.StartAsync();
        var (status, body, _) = await api.SendAsync("PUT", "/v2/groups/loop", $$"""
            {"groups":[{"id":"a","dependencies":["/loop/b"],"apps":[{"id":"x",{{Tiny}}}]},
                       {"id":"b","dependencies":["/loop/a"],"apps":[{"id":"y",{{Tiny}}}]}]}
            """);
        Assert.Equal(422, status);
        Assert.Equal("Dependency graph has cyclic dependencies.", body!["message"]!.GetValue<string>());
        Assert.Empty((await api.GetAsync("/v2/apps"))["apps"]!.AsArray());
    }

    [Fact]
    public async Task Put_BadAppsInBody_MarathonErrorPathsInsideTheGroup()
    {
        await using var api = await ApiHost.StartAsync();
        var bad = await api.SendAsync("PUT", "/v2/groups/g", """{"apps":[{"id":"ok","cmd":"sleep 1"},{"id":"x","cpus":-1,"cmd":"sleep 1"}]}""");
        Assert.Equal(422, bad.Status);
        Assert.Equal("/apps(1)/cpus", bad.Body!["details"]![0]!["path"]!.GetValue<string>());

        var nested = await api.SendAsync("PUT", "/v2/groups/g", """{"groups":[{"id":"n","apps":[{"id":"x"}]}]}""");
        Assert.Equal(422, nested.Status);
        Assert.StartsWith("/groups(0)/apps(0)", nested.Body!["details"]![0]!["path"]!.GetValue<string>(), StringComparison.Ordinal);

        var foreign = await api.SendAsync("POST", "/v2/groups", """{"id":"/group","apps":[{"id":"/app","cmd":"sleep 1"}]}""");
        Assert.Equal(422, foreign.Status);
        Assert.Equal("/apps(0)/id", foreign.Body!["details"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("identifier /app is not child of /group. Hint: use relative paths.", foreign.Body["details"]![0]!["errors"]![0]!.GetValue<string>());

        var mixed = await api.SendAsync("PUT", "/v2/groups/g", """{"scaleBy":2,"apps":[]}""");
        Assert.Equal(422, mixed.Status);
        Assert.Equal("not allowed in conjunction with other properties.", mixed.Body!["details"]![0]!["errors"]![0]!.GetValue<string>());
        Assert.Equal(404, (await api.SendAsync("PUT", "/v2/groups/missing", """{"scaleBy":2}""")).Status);
        Assert.Equal(404, (await api.SendAsync("DELETE", "/v2/groups/missing")).Status);
    }

    [Fact]
    public async Task Put_ScaleBy_ScalesEveryTransitiveAppRoundingUp()
    {
        await using var api = await ApiHost.StartAsync();
        Assert.Equal(201, (await api.SendAsync("POST", "/v2/groups", $$"""
            {"id":"/s","apps":[{"id":"one",{{Tiny}},"instances":1}],"groups":[{"id":"deep","apps":[{"id":"two",{{Tiny}},"instances":3}]}]}
            """)).Status);
        await api.WaitForRunningAsync("/s/deep/two", 3);

        var (status, body, _) = await api.SendAsync("PUT", "/v2/groups/s", """{"scaleBy":1.5}""");

        Assert.Equal(200, status);
        Assert.NotNull(body!["deploymentId"]);
        await api.WaitForRunningAsync("/s/one", 2);
        await api.WaitForRunningAsync("/s/deep/two", 5);
    }

    [Fact]
    public async Task Put_Version_RollsTheGroupBack()
    {
        await using var api = await ApiHost.StartAsync();
        Assert.Equal(201, (await api.SendAsync("POST", "/v2/groups", $$"""{"id":"/r","apps":[{"id":"a","cmd":"echo first; sleep 1000","cpus":0.01,"mem":1,"portDefinitions":[]}]}""")).Status);
        await api.WaitForRunningAsync("/r/a", 1);
        var first = (await api.GetAsync("/v2/apps/r/a"))["app"]!["version"]!.GetValue<string>();
        Assert.Equal(200, (await api.SendAsync("PUT", "/v2/groups/r", $$"""{"apps":[{"id":"a","cmd":"echo second; sleep 1000","cpus":0.01,"mem":1,"portDefinitions":[]},{"id":"b",{{Tiny}}}]}""")).Status);
        await api.WaitForRunningAsync("/r/b", 1);

        var versions = (await api.GetAsync("/v2/groups/r/versions")).AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Contains(first, versions);
        Assert.Equal(versions.OrderDescending(StringComparer.Ordinal), versions);
        var then = await api.GetAsync($"/v2/groups/r/versions/{first}");
        Assert.Equal(["/r/a"], then["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal("echo first; sleep 1000", then["apps"]![0]!["cmd"]!.GetValue<string>());

        var (status, body, _) = await api.SendAsync("PUT", "/v2/groups/r", $$"""{"version":"{{first}}"}""");

        Assert.Equal(200, status);
        Assert.NotNull(body!["deploymentId"]);
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(20), "the rollback to finish");
        Assert.Equal("echo first; sleep 1000", (await api.GetAsync("/v2/apps/r/a"))["app"]!["cmd"]!.GetValue<string>());
        Assert.Equal(["/r/a"], (await api.GetAsync("/v2/apps"))["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Put_Version_RestoresAppsAndGroupsDeletedSince()
    {
        await using var api = await ApiHost.StartAsync();
        var created = await api.SendAsync("POST", "/v2/groups", $$"""{"id":"/r","apps":[{"id":"a",{{Tiny}}},{"id":"b",{{Tiny}}}],"groups":[{"id":"sub","dependencies":["/r/a"],"apps":[{"id":"c",{{Tiny}}}]}]}""");
        Assert.Equal(201, created.Status);
        var first = created.Body!["version"]!.GetValue<string>();
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(20), "the group to deploy");
        Assert.Equal(200, (await api.SendAsync("DELETE", "/v2/apps/r/b")).Status);
        Assert.Equal(200, (await api.SendAsync("DELETE", "/v2/groups/r/sub")).Status);
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(20), "the deletes to finish");
        Assert.Equal(["/r/a"], (await api.GetAsync("/v2/apps"))["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));

        Assert.Contains(first, (await api.GetAsync("/v2/groups/r/versions")).AsArray().Select(v => v!.GetValue<string>()));
        var then = await api.GetAsync($"/v2/groups/r/versions/{first}");
        Assert.Equal(["/r/a", "/r/b"], then["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        var sub = then["groups"]!.AsArray().Single()!;
        Assert.Equal("/r/sub", sub["id"]!.GetValue<string>());
        Assert.Equal(["/r/sub/c"], sub["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal(["/r/a"], sub["dependencies"]!.AsArray().Select(d => d!.GetValue<string>()));

        var (status, body, _) = await api.SendAsync("PUT", "/v2/groups/r", $$"""{"version":"{{first}}"}""");

        Assert.Equal(200, status);
        Assert.NotNull(body!["deploymentId"]);
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(20), "the rollback to finish");
        Assert.Equal(["/r/a", "/r/b", "/r/sub/c"], (await api.GetAsync("/v2/apps"))["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Order());
        Assert.Equal(["/r/a"], (await api.GetAsync("/v2/groups/r/sub"))["dependencies"]!.AsArray().Select(d => d!.GetValue<string>()));
        await api.WaitForRunningAsync("/r/sub/c", 1);
    }

    [Fact]
    public async Task Post_Version_BringsBackADeletedGroup_AndIs409WhileItExists()
    {
        await using var api = await ApiHost.StartAsync();
        var created = await api.SendAsync("POST", "/v2/groups", $$"""{"id":"/r","apps":[{"id":"a",{{Tiny}}}],"groups":[{"id":"sub","apps":[{"id":"b",{{Tiny}}}]}]}""");
        Assert.Equal(201, created.Status);
        var first = created.Body!["version"]!.GetValue<string>();
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(20), "the group to deploy");
        Assert.Equal(200, (await api.SendAsync("DELETE", "/v2/groups/r")).Status);
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(20), "the delete to finish");
        Assert.Equal(404, (await api.SendAsync("GET", "/v2/groups/r")).Status);

        var (status, body, _) = await api.SendAsync("POST", "/v2/groups", $$"""{"id":"/r","version":"{{first}}"}""");

        Assert.Equal(201, status);
        Assert.NotNull(body!["deploymentId"]);
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(20), "the restore to finish");
        Assert.Equal(["/r/a", "/r/sub/b"], (await api.GetAsync("/v2/apps"))["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Order());
        await api.WaitForRunningAsync("/r/sub/b", 1);
        var again = await api.SendAsync("POST", "/v2/groups", $$"""{"id":"/r","version":"{{first}}"}""");
        Assert.Equal(409, again.Status);
        Assert.Equal("Group /r is already created. Use PUT to change this group.", again.Body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_ScaleBy_NothingToScale_404_AndAnExistingGroup_409_NeitherChangesAnything()
    {
        await using var api = await ApiHost.StartAsync();
        Assert.Equal(201, (await api.SendAsync("POST", "/v2/groups", $$"""{"id":"/r","apps":[{"id":"a",{{Tiny}}}]}""")).Status);
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(20), "the group to deploy");

        var missing = await api.SendAsync("POST", "/v2/groups", """{"id":"/s","scaleBy":2}""");
        var existing = await api.SendAsync("POST", "/v2/groups", """{"id":"/r","scaleBy":2}""");

        Assert.Equal(404, missing.Status);
        Assert.Equal("Group '/s' does not exist", missing.Body!["message"]!.GetValue<string>());
        Assert.Equal(404, (await api.SendAsync("GET", "/v2/groups/s")).Status);
        Assert.Equal(409, existing.Status);
        Assert.Equal(1, (await api.GetAsync("/v2/apps/r/a"))["app"]!["instances"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetVersion_UnknownVersion_Is404AndRollbackToIt422()
    {
        await using var api = await ApiHost.StartAsync();
        Assert.Equal(201, (await api.SendAsync("POST", "/v2/groups", $$"""{"id":"/r","apps":[{"id":"a",{{Tiny}}}]}""")).Status);

        var get = await api.SendAsync("GET", "/v2/groups/r/versions/2001-01-01T00:00:00.000Z");
        var put = await api.SendAsync("PUT", "/v2/groups/r", """{"version":"2001-01-01T00:00:00.000Z"}""");

        Assert.Equal(404, get.Status);
        Assert.Equal("Group '/r' does not exist in version 2001-01-01T00:00:00.000Z", get.Body!["message"]!.GetValue<string>());
        Assert.Equal(422, put.Status);
    }

    [Fact]
    public async Task Put_ThousandAppGroup_OneDeploymentThatStartsThemAll()
    {
        await using var api = await ApiHost.StartAsync(agent: a => a.Cpus = 64);
        var apps = string.Join(",", Enumerable.Range(0, 1000).Select(i => $$"""{"id":"app-{{i}}",{{Tiny}},"instances":1{{(i > 0 && i % 100 == 0 ? ",\"dependencies\":[\"app-0\"]" : "")}}}"""));

        var (status, body, _) = await api.SendAsync("PUT", "/v2/groups/big", $$"""{"apps":[{{apps}}]}""");

        Assert.Equal(200, status);
        var deployments = (await api.GetAsync("/v2/deployments")).AsArray();
        Assert.True(deployments.Count <= 1, $"one deployment, got {deployments.Count}");
        if (deployments.Count == 1)
        {
            Assert.Equal(body!["deploymentId"]!.GetValue<string>(), deployments[0]!["id"]!.GetValue<string>());
            Assert.Equal(1000, deployments[0]!["affectedApps"]!.AsArray().Count);
        }
        await Eventually.TrueAsync(
            async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0,
            TimeSpan.FromSeconds(90),
            "1,000 apps running");
        Assert.Equal(1000, (await api.GetAsync("/v2/tasks"))["tasks"]!.AsArray().Count(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING"));
        var again = await api.SendAsync("PUT", "/v2/groups/big?dryRun=true", $$"""{"apps":[{{apps}}]}""");
        Assert.Empty(again.Body!["steps"]!.AsArray());
    }

    [Fact]
    public async Task ChangeAndDelete_LockedByARunningDeployment_409UnlessForced()
    {
        await using var api = await ApiHost.StartAsync();
        // Never placeable: its deployment stays open.
        Assert.Equal(201, (await api.SendAsync("POST", "/v2/groups", """{"id":"/l","apps":[{"id":"stuck","cmd":"sleep 1","cpus":100,"mem":1,"portDefinitions":[]}]}""")).Status);
        var blocking = (await api.GetAsync("/v2/deployments")).AsArray().Single()!["id"]!.GetValue<string>();

        var locked = await api.SendAsync("PUT", "/v2/groups/l", """{"apps":[{"id":"stuck","cmd":"sleep 2","cpus":100,"mem":1,"portDefinitions":[]}]}""");
        Assert.Equal(409, locked.Status);
        Assert.Equal(blocking, locked.Body!["deployments"]![0]!["id"]!.GetValue<string>());
        var scale = await api.SendAsync("PUT", "/v2/groups/l", """{"scaleBy":2}""");
        Assert.Equal(409, scale.Status);
        var delete = await api.SendAsync("DELETE", "/v2/groups/l");
        Assert.Equal(409, delete.Status);

        var forced = await api.SendAsync("DELETE", "/v2/groups/l?force=true");
        Assert.Equal(200, forced.Status);
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(10), "the delete to finish");
        Assert.Empty((await api.GetAsync("/v2/apps"))["apps"]!.AsArray());
        Assert.Equal(404, (await api.SendAsync("GET", "/v2/groups/l")).Status);
    }

    [Fact]
    public async Task Patch_EnforceRole_TopLevelOnly_AndNewAppsTakeTheGroupRole()
    {
        await using var api = await ApiHost.StartAsync();
        Assert.Equal(201, (await api.SendAsync("POST", "/v2/groups", """{"id":"/team","groups":[{"id":"sub"}]}""")).Status);
        await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/deployments")).AsArray().Count == 0, TimeSpan.FromSeconds(10), "the group deployment");

        var notTop = await api.SendAsync("PATCH", "/v2/groups/team/sub", """{"enforceRole":true}""");
        Assert.Equal(422, notTop.Status);
        var patched = await api.SendAsync("PATCH", "/v2/groups/team", """{"enforceRole":true}""");
        Assert.Equal(200, patched.Status);
        Assert.Empty((await api.GetAsync("/v2/deployments")).AsArray());
        Assert.True((await api.GetAsync("/v2/groups/team"))["enforceRole"]!.GetValue<bool>());

        Assert.Equal(200, (await api.SendAsync("PUT", "/v2/groups/team/sub", $$"""{"apps":[{"id":"a",{{Tiny}},"instances":0}]}""")).Status);
        Assert.Equal("team", (await api.GetAsync("/v2/apps/team/sub/a"))["app"]!["role"]!.GetValue<string>());
        var star = await api.SendAsync("PUT", "/v2/groups/team/sub", $$"""{"apps":[{"id":"b",{{Tiny}},"instances":0,"role":"other"}]}""");
        Assert.Equal(422, star.Status);
        Assert.Equal("/apps(0)/role", star.Body!["details"]![0]!["path"]!.GetValue<string>());

        var both = await api.SendAsync("PUT", "/v2/groups/team", $$"""{"enforceRole":false,"groups":[{"id":"sub","apps":[]}]}""");
        Assert.Equal(422, both.Status);
        Assert.StartsWith("enforceRole cannot be modified", both.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var nested = await api.SendAsync("PUT", "/v2/groups/team/sub", """{"enforceRole":true}""");
        Assert.Equal(422, nested.Status);
    }

    private static DateTimeOffset Started(JsonNode task) => DateTimeOffset.Parse(task["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset Staged(JsonNode task) => DateTimeOffset.Parse(task["stagedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static void StripVersions(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            o.Remove("version");
            o.Remove("versionInfo");
            foreach (var child in o.Select(kv => kv.Value).ToList())
            {
                StripVersions(child);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a)
            {
                StripVersions(child);
            }
        }
    }
}
