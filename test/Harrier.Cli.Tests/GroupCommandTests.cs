using System.Text.Json.Nodes;
using Harrier.Cli.Tests.Fakes;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

public sealed class GroupCommandTests
{
    private const string Result = """{"deploymentId":"d-9","version":"2024-05-01T10:00:00.000Z"}""";

    private const string Shop = """
        {"id":"/shop","apps":[],"groups":[
          {"id":"/shop/web","dependencies":["/shop/db"],"apps":[
            {"id":"/shop/web/frontend","cmd":"python3 -m http.server","instances":2,"cpus":0.5,"mem":64,"tasksRunning":2,"deployments":[]}],"groups":[],"version":"2024-05-01T10:00:00.000Z"},
          {"id":"/shop/db","dependencies":[],"apps":[
            {"id":"/shop/db/pg","cmd":"postgres","instances":1,"cpus":1,"mem":512,"tasksRunning":0,"deployments":[{"id":"d-1"}]}],"groups":[],"version":"2024-05-01T10:00:00.000Z"}],
         "dependencies":[],"version":"2024-05-01T10:00:00.000Z","enforceRole":false}
        """;

    [Fact]
    public async Task GroupShow_Tree_PrintsGroupsAndEveryAppBelow()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/groups/shop", Shop);

        var result = await Cli.RunAsync(server, "group show /shop");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Line.ShouldBe("GET /v2/groups/shop?embed=group.groups&embed=group.apps&embed=group.apps.counts&embed=group.apps.deployments");
        result.Out.ShouldBe(
            "ID            /shop\n" +
            "VERSION       2024-05-01T10:00:00.000Z\n" +
            "DEPENDENCIES  -\n" +
            "ENFORCE ROLE  false\n" +
            "\n" +
            "GROUP      APPS  DEPENDENCIES\n" +
            "/shop/db   1     -\n" +
            "/shop/web  1     /shop/db\n" +
            "\n" +
            "APP                 INSTANCES  CPUS  MEM  STATUS     CMD\n" +
            "/shop/db/pg         0/1        1     512  deploying  postgres\n" +
            "/shop/web/frontend  2/2        0.5   64   running    python3 -m http.server\n");
    }

    [Fact]
    public async Task GroupShow_NoIdAndJson_RootGroupAsTheServerSentIt()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/groups", Shop);

        var result = await Cli.RunAsync(server, "group show --json");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Line.ShouldStartWith("GET /v2/groups?embed=");
        JsonNode.DeepEquals(JsonNode.Parse(result.Out), JsonNode.Parse(Shop)).ShouldBeTrue(result.Out);
    }

    [Fact]
    public async Task GroupAddUpdateScaleRemove_SendTheGroupsApiCalls()
    {
        var file = Path.Combine(Path.GetTempPath(), $"harrier-cli-group-{Environment.ProcessId}-{Path.GetRandomFileName()}.json");
        await File.WriteAllTextAsync(file, """{"id":"/shop","apps":[{"id":"pg","cmd":"postgres"}]}""");
        try
        {
            var server = new FakeMarathon()
                .OnJson("POST", "/v2/groups", Result, 201, deploymentId: "d-9")
                .OnJson("PUT", "/v2/groups/shop", Result, deploymentId: "d-9")
                .OnJson("DELETE", "/v2/groups/shop", Result, deploymentId: "d-9");

            (await Cli.RunAsync(server, $"group add {file}")).Out.ShouldBe("Creating group /shop: deployment d-9 (version 2024-05-01T10:00:00.000Z)\n");
            (await Cli.RunAsync(server, $"group update /shop {file} --force")).Out.ShouldBe("Updating group /shop: deployment d-9 (version 2024-05-01T10:00:00.000Z)\n");
            (await Cli.RunAsync(server, "group scale shop 1.5")).Out.ShouldBe("Scaling group /shop by 1.5: deployment d-9 (version 2024-05-01T10:00:00.000Z)\n");
            var json = await Cli.RunAsync(server, "group remove /shop --json");
            JsonNode.DeepEquals(JsonNode.Parse(json.Out), JsonNode.Parse(Result)).ShouldBeTrue(json.Out);

            var requests = server.Requests;
            requests.Select(r => r.Line).ShouldBe(["POST /v2/groups", "PUT /v2/groups/shop?force=true", "PUT /v2/groups/shop", "DELETE /v2/groups/shop"]);
            JsonNode.DeepEquals(JsonNode.Parse(requests[0].Body!), JsonNode.Parse(await File.ReadAllTextAsync(file))).ShouldBeTrue(requests[0].Body);
            JsonNode.Parse(requests[2].Body!)!["scaleBy"]!.GetValue<double>().ShouldBe(1.5);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task GroupUpdate_DryRun_PrintsTheStepsWithoutDeploying()
    {
        var server = new FakeMarathon().OnJson("PUT", "/v2/groups/shop", """
            {"steps":[{"actions":[{"action":"StartApplication","app":"/shop/pg"}]},{"actions":[{"action":"ScaleApplication","app":"/shop/pg"}]}]}
            """);

        var result = await Cli.RunAsync(server, "group update /shop - --dry-run", stdin: """{"apps":[{"id":"pg","cmd":"postgres"}]}""");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Line.ShouldBe("PUT /v2/groups/shop?dryRun=true");
        result.Out.ShouldBe("1. StartApplication /shop/pg\n2. ScaleApplication /shop/pg\n");
    }

    [Fact]
    public async Task GroupVersions_ListsNewestFirst_AndScaleRefusesANegativeFactor()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/groups/shop/versions", """["2024-05-02T00:00:00.000Z","2024-05-01T00:00:00.000Z"]""");

        var result = await Cli.RunAsync(server, "group versions /shop");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldBe("VERSION\n2024-05-02T00:00:00.000Z\n2024-05-01T00:00:00.000Z\n");
        var negative = await Cli.RunAsync(server, "group scale /shop -1");
        negative.ExitCode.ShouldNotBe(0);
        server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task GroupRemove_Locked_PrintsTheServersMessageAndFails()
    {
        var server = new FakeMarathon().OnJson("DELETE", "/v2/groups/shop", """{"message":"App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/d-1'.","deployments":[{"id":"d-1"}]}""", 409);

        var result = await Cli.RunAsync(server, "group remove /shop");

        result.ExitCode.ShouldNotBe(0);
        result.Error.ShouldContain("locked");
    }
}
