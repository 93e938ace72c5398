using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

/// <summary>
/// <c>/v2/apps</c> inside groups: the enclosing top-level group's <c>enforceRole</c> (§12.3) and what Marathon does with
/// fields an app body does not define (§2.1).
/// </summary>
public sealed class AppsInGroupsTests
{
    private const string Tiny = "\"cmd\":\"sleep 1000\",\"cpus\":0.01,\"mem\":1,\"instances\":0";

    [Fact]
    public async Task PostApp_InEnforcingGroup_DefaultsToTheGroupsRoleAndRefusesAnother()
    {
        await using var api = await ApiHost.StartAsync();
        Assert.Equal(201, (await api.SendAsync("POST", "/v2/groups", """{"id":"/prod","enforceRole":true}""")).Status);

        var created = await api.SendAsync("POST", "/v2/apps", $$"""{"id":"/prod/web",{{Tiny}}}""");
        var nested = await api.SendAsync("POST", "/v2/apps", $$"""{"id":"/prod/deep/api",{{Tiny}}}""");
        var other = await api.SendAsync("POST", "/v2/apps", $$"""{"id":"/prod/db",{{Tiny}},"role":"*"}""");

        Assert.Equal(201, created.Status);
        Assert.Equal("prod", created.Body!["role"]!.GetValue<string>());
        Assert.Equal(201, nested.Status);
        Assert.Equal("prod", nested.Body!["role"]!.GetValue<string>());
        Assert.Equal(422, other.Status);
        Assert.Equal("/role", other.Body!["details"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("got \"*\", expected one of [prod]", other.Body["details"]![0]!["errors"]![0]!.GetValue<string>());
        Assert.Equal(404, (await api.SendAsync("GET", "/v2/apps/prod/db")).Status);
    }

    [Fact]
    public async Task PutApp_InEnforcingGroup_CreatesWithTheGroupsRoleAndRefusesAnother()
    {
        await using var api = await ApiHost.StartAsync();
        Assert.Equal(201, (await api.SendAsync("POST", "/v2/groups", """{"id":"/prod","enforceRole":true}""")).Status);

        var created = await api.SendAsync("PUT", "/v2/apps/prod/web", $$"""{{{Tiny}}}""");
        var full = await api.SendAsync("PUT", "/v2/apps/prod/web?partialUpdate=false", $$"""{{{Tiny}}}""");
        var changed = await api.SendAsync("PATCH", "/v2/apps/prod/web", """{"role":"*"}""");
        var many = await api.SendAsync("PUT", "/v2/apps", $$"""[{"id":"/prod/api",{{Tiny}},"role":"other"}]""");

        Assert.Equal(201, created.Status);
        Assert.Equal(200, full.Status);
        Assert.Equal("prod", (await api.GetAsync("/v2/apps/prod/web"))["app"]!["role"]!.GetValue<string>());
        Assert.Equal(422, changed.Status);
        Assert.Equal(422, many.Status);
    }

    [Fact]
    public async Task PostApp_InGroupNotEnforcing_AllowsTheGroupsNameOrTheDefaultRole()
    {
        await using var api = await ApiHost.StartAsync();

        var star = await api.SendAsync("POST", "/v2/apps", $$"""{"id":"/dev/web",{{Tiny}}}""");
        var named = await api.SendAsync("POST", "/v2/apps", $$"""{"id":"/dev/api",{{Tiny}},"role":"dev"}""");
        var other = await api.SendAsync("POST", "/v2/apps", $$"""{"id":"/dev/db",{{Tiny}},"role":"other"}""");
        var atRoot = await api.SendAsync("POST", "/v2/apps", $$"""{"id":"/top",{{Tiny}},"role":"top"}""");

        Assert.Equal("*", star.Body!["role"]!.GetValue<string>());
        Assert.Equal(201, named.Status);
        Assert.Equal(422, other.Status);
        Assert.Equal(422, atRoot.Status);
        Assert.False((await api.GetAsync("/v2/groups/dev"))["enforceRole"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PostApp_NewTopLevelGroupWithNewGroupEnforceRoleTop_EnforcesIt()
    {
        await using var api = await ApiHost.StartAsync(server: s => s.NewGroupEnforceRole = true);

        var created = await api.SendAsync("POST", "/v2/apps", $$"""{"id":"/team/web",{{Tiny}}}""");

        Assert.Equal(201, created.Status);
        Assert.Equal("team", created.Body!["role"]!.GetValue<string>());
        Assert.True((await api.GetAsync("/v2/groups/team"))["enforceRole"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PostApp_BodyWithVersion_VersionIgnoredAndCreated()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.SendAsync("POST", "/v2/apps", $$"""{"id":"/v",{{Tiny}},"version":"2001-01-01T00:00:00.000Z"}""");

        Assert.Equal(201, status);
        Assert.NotEqual("2001-01-01T00:00:00.000Z", body!["version"]!.GetValue<string>());
        Assert.Equal(body["version"]!.GetValue<string>(), (await api.GetAsync("/v2/apps/v"))["app"]!["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutGroup_SameBodyWithBridgePortMappings_AppUnchangedSoItsLockDoesNotRefuse()
    {
        await using var api = await ApiHost.StartAsync();
        // The app can never be placed, so its deployment keeps it locked; sent again as written (servicePort 0), it is
        // unchanged: left out of the new deployment, which therefore does not collide with the lock.
        var group = """
            {"id":"/net","apps":[{"id":"web","cmd":"sleep 1000","cpus":0.01,"mem":1,"instances":1,
              "constraints":[["hostname","LIKE","nowhere"]],
              "container":{"type":"MESOS","portMappings":[{"containerPort":80,"hostPort":0}]},"networks":[{"mode":"container/bridge"}]}]}
            """;
        Assert.Equal(200, (await api.SendAsync("PUT", "/v2/groups", group)).Status);
        var before = (await api.GetAsync("/v2/apps/net/web"))["app"]!;
        Assert.NotEqual(0, before["container"]!["portMappings"]![0]!["servicePort"]!.GetValue<int>());

        var (status, body, _) = await api.SendAsync("PUT", "/v2/groups", group);

        Assert.Equal(200, status);
        Assert.NotNull(body!["deploymentId"]);
        Assert.Equal(before["version"]!.GetValue<string>(), (await api.GetAsync("/v2/apps/net/web"))["app"]!["version"]!.GetValue<string>());
    }
}
