using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.Api.Apps;
using Harrier.Api.Errors;
using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Compat.Tests.Apps;

/// <summary>
/// Golden tests over Marathon's own example bodies: the ones Marathon 1.11 accepts are accepted and normalized as it
/// does; the ones it rejects are rejected with its messages.
/// </summary>
public sealed class AppExamplesGoldenTests
{
    private static readonly AppReadContext Context = new();

    private static AppSpec Accept(JsonElement body, PathId? pathId = null)
    {
        var result = AppDefinitionReader.ReadApp(body, pathId, Context);
        if (result is AppReadFailed failed)
        {
            Assert.Fail($"Marathon accepts this body, Harrier rejected it: {failed.Error.ToJson().ToJsonString()}\n{body}");
        }
        return Assert.IsType<AppReadOk>(result).App;
    }

    private static JsonObject Written(AppSpec app) => AppJsonWriter.ToJson(app);

    private static void AssertRoundTrip(AppSpec app)
    {
        using var doc = JsonDocument.Parse(Written(app).ToJsonString());
        Assert.Equal(app, Accept(doc.RootElement));
    }

    private static IReadOnlyList<string> ErrorsAt(ApiError error, string path) =>
        Assert.IsType<JsonArray>(error.Details).OfType<JsonObject>()
            .Where(d => (string?)d["path"] == path)
            .SelectMany(d => d["errors"]!.AsArray().Select(e => (string)e!))
            .ToList();

    private static IEnumerable<JsonElement> GroupApps(JsonElement group)
    {
        if (group.TryGetProperty("apps", out var apps))
        {
            foreach (var app in apps.EnumerateArray())
            {
                yield return app;
            }
        }
        if (group.TryGetProperty("groups", out var groups))
        {
            foreach (var sub in groups.EnumerateArray().SelectMany(GroupApps))
            {
                yield return sub;
            }
        }
    }

    [Fact]
    public void AppJson_SelfContradictoryExample_RejectedWithDeprecatedApiMessages()
    {
        var result = AppDefinitionReader.ReadApp(MarathonExamples.Load("examples/app.json"), null, Context);

        var error = Assert.IsType<AppReadFailed>(result).Error;
        Assert.Equal(422, error.Status);
        Assert.Equal("Object is not valid", error.Message);
        Assert.Equal(["ipAddress/discovery is not allowed for Docker containers"], ErrorsAt(error, "/ipAddress"));
        Assert.Equal(["cannot specify both an IP address and port"], ErrorsAt(error, "/"));
    }

    [Fact]
    public void AppJson_WithContradictionsRemoved_AcceptedWithTranslatedFields()
    {
        var body = JsonNode.Parse(File.ReadAllText(MarathonExamples.PathOf("examples/app.json")))!.AsObject();
        body.Remove("args");
        body.Remove("ipAddress");
        body.Remove("portDefinitions");
        body.Remove("env");
        body.Remove("secrets");
        body["acceptedResourceRoles"] = new JsonArray("*");
        // The example's image, 'mesosphere:marathon/latest', is not a valid reference (Docker answers "invalid
        // reference format"); Harrier refuses it at POST (422) instead of failing every launch.
        body["container"]!["docker"]!["image"] = "mesosphere/marathon:latest";
        using var doc = JsonDocument.Parse(body.ToJsonString());

        var app = Accept(doc.RootElement);
        var json = Written(app);

        Assert.Equal("""[{"mode":"container/bridge"}]""", json["networks"]!.ToJsonString());
        Assert.False(json.ContainsKey("portDefinitions"));
        var mapping = json["container"]!["portMappings"]![0]!.AsObject();
        Assert.Equal(80, (int)mapping["containerPort"]!);
        Assert.Equal(0, (int)mapping["hostPort"]!);
        Assert.Equal(10019, (int)mapping["servicePort"]!);
        Assert.Equal("http", (string?)mapping["name"]);
        Assert.Equal("192.168.0.1:80", (string?)mapping["labels"]!["vip"]);
        Assert.False(json["container"]!["docker"]!.AsObject().ContainsKey("network"));
        Assert.Equal(3600, (int)json["maxLaunchDelaySeconds"]!);
        Assert.Equal("""[{"uri":"https://foo.com/setup.py","extract":true,"executable":false,"cache":false},{"uri":"https://foo.com/archive.zip","extract":true,"executable":false,"cache":true,"destPath":"newname.zip"}]""", json["fetch"]!.ToJsonString());
        Assert.Equal(0, (int)json["healthChecks"]![0]!["portIndex"]!);
        Assert.Equal("IPv4", (string?)json["healthChecks"]![0]!["ipProtocol"]);
        Assert.Equal(15, (int)json["healthChecks"]![0]!["delaySeconds"]!);
        Assert.Equal(30, (int)json["taskKillGracePeriodSeconds"]!);
        Assert.True((bool)json["tty"]!);
        Assert.Equal("""[["hostname","LIKE","srv2.*"]]""", json["constraints"]!.ToJsonString());
        AssertRoundTrip(app);
    }

    [Fact]
    public void AppSimple_Accepted_WithDefaultPortDefinitionAndDefaults()
    {
        var app = Accept(MarathonExamples.Load("articles-examples/app-simple.json"));
        var json = Written(app);

        Assert.Equal("/simple", (string?)json["id"]);
        Assert.Equal(2, (int)json["instances"]!);
        Assert.Equal(0.1, (double)json["cpus"]!);
        Assert.Equal(16.0, (double)json["mem"]!);
        Assert.Equal("sleep 1000", (string?)json["cmd"]);
        Assert.Equal("""[{"port":0,"name":"default","protocol":"tcp"}]""", json["portDefinitions"]!.ToJsonString());
        Assert.Equal("""[{"mode":"host"}]""", json["networks"]!.ToJsonString());
        Assert.Equal("""{"maximumOverCapacity":1.0,"minimumHealthCapacity":1.0}""", json["upgradeStrategy"]!.ToJsonString());
        Assert.Equal("""{"inactiveAfterSeconds":0,"expungeAfterSeconds":0}""", json["unreachableStrategy"]!.ToJsonString());
        Assert.Equal("YOUNGEST_FIRST", (string?)json["killSelection"]);
        Assert.Equal("*", (string?)json["role"]);
        Assert.Equal(300, (int)json["maxLaunchDelaySeconds"]!);
        Assert.Equal("{}", json["labels"]!.ToJsonString());
        Assert.False(json.ContainsKey("container"));
        AssertRoundTrip(app);
    }

    [Fact]
    public void AppCheckHttpExample_Accepted_WithRelativeIdAndMesosCheck()
    {
        var app = Accept(MarathonExamples.Load("examples/app-check-http-example.json"));
        var json = Written(app);

        Assert.Equal("/http-index-test", (string?)json["id"]);
        Assert.Equal("""{"http":{"portIndex":0,"path":"/","scheme":"HTTP"},"intervalSeconds":60,"timeoutSeconds":20,"delaySeconds":15}""", json["check"]!.ToJsonString());
        Assert.Equal("""[{"port":0,"name":"http","protocol":"tcp"}]""", json["portDefinitions"]!.ToJsonString());
        Assert.False(json.ContainsKey("env"));
        AssertRoundTrip(app);
    }

    [Fact]
    public void AppsCreate_EveryElementAccepted_WithDependencies()
    {
        var apps = MarathonExamples.Load("examples/apps_create.json").EnumerateArray().Select(e => Accept(e)).ToList();

        Assert.Equal(["/test/sleep60", "/test/sleep120"], apps.Select(a => a.Id.Value));
        Assert.Equal(["/test/sleep120", "/other/namespace/or/app"], apps[0].Dependencies.Select(d => d.Value));
        Assert.Equal(9.0, apps[1].Mem);
        apps.ForEach(AssertRoundTrip);
    }

    [Fact]
    public void AppsPatch_AppliedToCreatedApps_ChangesOnlyGivenFields()
    {
        var created = MarathonExamples.Load("examples/apps_create.json").EnumerateArray().Select(e => Accept(e)).ToDictionary(a => a.Id.Value);

        foreach (var patch in MarathonExamples.Load("examples/apps_patch.json").EnumerateArray())
        {
            var id = PathId.Parse(patch.GetProperty("id").GetString()!);
            var existing = created[id.Value];

            var updated = Assert.IsType<AppReadOk>(AppDefinitionReader.ReadUpdate(patch, id, existing, Context)).App;

            var expected = id.Value == "/test/sleep60" ? existing with { Cpus = 0.3 } : existing with { Instances = 2 };
            Assert.Equal(expected, updated);
        }
    }

    [Fact]
    public void AppPatch_OnExistingApp_ScalesOnly()
    {
        var existing = Accept(MarathonExamples.Load("articles-examples/app-simple.json"), PathId.FromCanonical("/foo"));

        var updated = Assert.IsType<AppReadOk>(AppDefinitionReader.ReadUpdate(MarathonExamples.Load("examples/app_patch.json"), PathId.FromCanonical("/foo"), existing, Context)).App;

        Assert.Equal(existing, updated);
    }

    [Fact]
    public void GroupJson_OldStyleApps_AcceptedAndTranslated()
    {
        var apps = GroupApps(MarathonExamples.Load("examples/group.json")).Select(e => Accept(e)).ToDictionary(a => a.Id.Value);

        var oauth = Written(apps["/tools/oauth-server"]);
        Assert.Equal("""[{"mode":"host"}]""", oauth["networks"]!.ToJsonString());
        Assert.Equal("""[{"port":1980,"protocol":"tcp"}]""", oauth["portDefinitions"]!.ToJsonString());
        Assert.Equal("""{"maximumOverCapacity":0.0,"minimumHealthCapacity":0.5}""", oauth["upgradeStrategy"]!.ToJsonString());
        Assert.False(oauth.ContainsKey("uris"));
        Assert.False(oauth.ContainsKey("ports"));
        Assert.False(oauth.ContainsKey("fetch"));
        Assert.Equal(0, (int)oauth["healthChecks"]![0]!["portIndex"]!);
        Assert.False(oauth["container"]!.AsObject().ContainsKey("portMappings"));

        var registry = Written(apps["/tools/docker/registry"]);
        Assert.Equal("""[{"mode":"container/bridge"}]""", registry["networks"]!.ToJsonString());
        Assert.Equal("""[{"containerPort":5000,"hostPort":0,"labels":{},"protocol":"tcp","servicePort":5000}]""", registry["container"]!["portMappings"]!.ToJsonString());
        Assert.False(registry.ContainsKey("portDefinitions"));
        Assert.Equal(3, apps["/tools/datadog-agent"].Container!.Volumes.Count);
        Assert.False(registry.ContainsKey("version"));
        foreach (var app in apps.Values)
        {
            AssertRoundTrip(app);
        }
    }

    [Fact]
    public void QueueJson_EmbeddedApps_AcceptedWithUrisAsFetch()
    {
        var apps = MarathonExamples.Load("examples/queue.json").GetProperty("queue").EnumerateArray()
            .Where(e => e.TryGetProperty("app", out _))
            .Select(e => Accept(e.GetProperty("app")))
            .ToDictionary(a => a.Id.Value);

        var foo = apps["/foo"];
        Assert.Equal([new FetchUri("http://www.mesosphere.io/index.html", Extract: false)], foo.Fetch.Items);
        Assert.Equal("//cmd", foo.Executor);
        Assert.Equal([new PortDefinition(10010)], foo.PortDefinitions.Items);
        foreach (var app in apps.Values)
        {
            AssertRoundTrip(app);
        }
    }

    [Fact]
    public void AppListJson_UniqueWithEmptyValue_RejectedAsMarathon111Does()
    {
        var body = MarathonExamples.Load("examples/app_list.json").GetProperty("apps")[0];

        var error = Assert.IsType<AppReadFailed>(AppDefinitionReader.ReadApp(body, null, Context)).Error;

        Assert.Equal(422, error.Status);
        Assert.Equal(["UNIQUE does not accept a value"], ErrorsAt(error, "/constraints(0)"));
    }

    [Fact]
    public void AppListJson_WithConstraintFixed_AcceptedWithPortsAndUrisTranslated()
    {
        var body = JsonNode.Parse(MarathonExamples.Load("examples/app_list.json").GetProperty("apps")[0].GetRawText())!.AsObject();
        body["constraints"] = new JsonArray(new JsonArray("hostname", "UNIQUE"));
        using var doc = JsonDocument.Parse(body.ToJsonString());

        var app = Accept(doc.RootElement);

        Assert.Equal([new PortDefinition(10013), new PortDefinition(10015)], app.PortDefinitions.Items);
        Assert.Equal("https://raw.github.com/mesosphere/marathon/master/README.md", Assert.Single(app.Fetch).Uri);
        Assert.False(app.VersionInfo.IsStored);
        Assert.Equal(3, app.Instances);
        AssertRoundTrip(app);
    }
}
