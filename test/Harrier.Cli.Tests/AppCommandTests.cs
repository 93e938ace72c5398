using System.Text.Json.Nodes;
using Harrier.Cli.Tests.Fakes;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

public sealed class AppCommandTests
{
    private const string CreatedApp = """{"id":"/prod/web","cmd":"python3 -m http.server","instances":2,"cpus":0.1,"mem":64,"tasksStaged":0,"tasksRunning":0,"tasksHealthy":0,"tasksUnhealthy":0,"deployments":[{"id":"d-123"}]}""";

    [Fact]
    public async Task AppList_MarathonExample_PrintsPlainTable()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/apps", Examples.Read("app_list.json"));

        var result = await Cli.RunAsync(server, "app list");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Line.ShouldBe("GET /v2/apps?embed=apps.counts&embed=apps.deployments");
        result.Out.ShouldBe(
            "ID      INSTANCES  CPUS  MEM  STATUS     CMD\n" +
            "/myapp  0/3        0.1   5    deploying  env && sleep 60\n");
    }

    [Fact]
    public async Task AppList_SeveralApps_SortsByIdAndShowsStatusAndTruncatedCommand()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/apps", """
            {"apps":[
              {"id":"/z/idle","cmd":"sleep 1","instances":0,"cpus":1,"mem":128,"tasksRunning":0,"deployments":[]},
              {"id":"/a/web","cmd":"python3 -m http.server --bind 0.0.0.0 --directory /srv/www/public $PORT0","instances":2,"cpus":0.25,"mem":64.5,"tasksRunning":2,"deployments":[]},
              {"id":"/m/img","container":{"type":"DOCKER","docker":{"image":"nginx:1.25"}},"instances":3,"cpus":0.5,"mem":32,"tasksRunning":1,"deployments":[]},
              {"id":"/m/sick","args":["/bin/app","--port","80"],"instances":1,"cpus":0.1,"mem":16,"tasksRunning":1,"tasksUnhealthy":1,"deployments":[]}
            ]}
            """);

        var result = await Cli.RunAsync(server, "app list");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldBe(
            "ID       INSTANCES  CPUS  MEM   STATUS     CMD\n" +
            "/a/web   2/2        0.25  64.5  running    python3 -m http.server --bind 0.0.0.0...\n" +
            "/m/img   1/3        0.5   32    waiting    image nginx:1.25\n" +
            "/m/sick  1/1        0.1   16    unhealthy  /bin/app --port 80\n" +
            "/z/idle  0/0        1     128   suspended  sleep 1\n");
    }

    [Fact]
    public async Task AppList_Json_PrintsExactlyWhatTheServerSent()
    {
        var body = Examples.Read("app_list.json");
        var server = new FakeMarathon().OnJson("GET", "/v2/apps", body);

        var result = await Cli.RunAsync(server, "app list --json");

        result.ExitCode.ShouldBe(0, result.Error);
        JsonNode.DeepEquals(JsonNode.Parse(result.Out), JsonNode.Parse(body)).ShouldBeTrue(result.Out);
        result.Out.ShouldContain("\n  \"apps\": [", customMessage: "pretty-printed");
    }

    [Fact]
    public async Task AppAdd_File_PostsTheDefinitionAndPrintsIdAndDeployment()
    {
        var file = Path.Combine(Path.GetTempPath(), $"harrier-cli-{Environment.ProcessId}-{Path.GetRandomFileName()}.json");
        await File.WriteAllTextAsync(file, """{ "id": "/prod/web", "cmd": "python3 -m http.server", "instances": 2, "x-unknown": {"kept": true} }""");
        try
        {
            var server = new FakeMarathon().OnJson("POST", "/v2/apps", CreatedApp, 201, deploymentId: "d-123");

            var result = await Cli.RunAsync(server, $"app add {file}");

            result.ExitCode.ShouldBe(0, result.Error);
            var request = server.Requests.Single();
            request.Line.ShouldBe("POST /v2/apps");
            JsonNode.DeepEquals(JsonNode.Parse(request.Body!), JsonNode.Parse(await File.ReadAllTextAsync(file))).ShouldBeTrue(request.Body);
            result.Out.ShouldBe("Created app /prod/web (deployment d-123)\n");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AppAdd_Dash_ReadsTheDefinitionFromStandardInput()
    {
        var server = new FakeMarathon().OnJson("POST", "/v2/apps", CreatedApp, 201);

        var result = await Cli.RunAsync(server, "app add -", stdin: """{"id":"/prod/web","cmd":"python3 -m http.server"}""");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Body.ShouldBe("""{"id":"/prod/web","cmd":"python3 -m http.server"}""");
        result.Out.ShouldBe("Created app /prod/web (deployment d-123)\n");
    }

    [Fact]
    public async Task AppAdd_DeploymentOnlyInHeader_PrintsTheHeaderDeployment()
    {
        var server = new FakeMarathon().OnJson("POST", "/v2/apps", """{"id":"/solo","cmd":"sleep 9","deployments":[]}""", 201, deploymentId: "hdr-1");

        var result = await Cli.RunAsync(server, "app add -", stdin: """{"id":"/solo","cmd":"sleep 9"}""");

        result.Out.ShouldBe("Created app /solo (deployment hdr-1)\n");
    }

    [Fact]
    public async Task AppAdd_InvalidJson_ExitsOneWithoutCallingTheServer()
    {
        var server = new FakeMarathon();

        var result = await Cli.RunAsync(server, "app add -", stdin: "{ \"id\": ");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldStartWith("error: standard input is not valid JSON");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task AppAdd_MissingFile_ExitsOneWithReadableMessage()
    {
        var server = new FakeMarathon();

        var result = await Cli.RunAsync(server, "app add /nonexistent/harrier/app.json");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldStartWith("error: cannot read /nonexistent/harrier/app.json:");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task AppAdd_ValidationFailure_PrintsMessageAndEachDetailPath()
    {
        var server = new FakeMarathon().OnJson("POST", "/v2/apps", """
            {"message":"Object is not valid","details":[
              {"path":"/cpus","errors":["got -1.0, expected 0.0 or more"]},
              {"path":"/upgradeStrategy/minimumHealthCapacity","errors":["got 1.2, expected between 0.0 and 1.0","another"]}]}
            """, 422);

        var result = await Cli.RunAsync(server, "app add -", stdin: """{"id":"/bad","cmd":"x y","cpus":-1}""");

        result.ExitCode.ShouldBe(1);
        result.Out.ShouldBeEmpty();
        result.Error.ShouldBe(
            "error: Object is not valid (HTTP 422)\n" +
            "  /cpus: got -1.0, expected 0.0 or more\n" +
            "  /upgradeStrategy/minimumHealthCapacity: got 1.2, expected between 0.0 and 1.0\n" +
            "  /upgradeStrategy/minimumHealthCapacity: another\n");
    }

    [Fact]
    public async Task AppAdd_ParseErrorWithStringDetails_PrintsTheDetailsText()
    {
        var server = new FakeMarathon().OnJson("POST", "/v2/apps", """{"message":"Invalid JSON","details":"Unexpected end-of-input"}""", 400);

        var result = await Cli.RunAsync(server, "app add -", stdin: "{}");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("error: Invalid JSON (HTTP 400)\n  Unexpected end-of-input\n");
    }

    [Fact]
    public async Task AppShow_SlashedId_GetsTheAppAndPrintsSummaryAndTasks()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/apps/prod/web", """
            {"app":{"id":"/prod/web","cmd":"python3 -m http.server $PORT0","instances":2,"cpus":0.1,"mem":64,"disk":0,
              "networks":[{"mode":"host"}],"portDefinitions":[{"port":10000,"name":"http"}],"labels":{"team":"web","HAPROXY_GROUP":"external"},
              "version":"2026-11-22T04:00:00.000Z","tasksStaged":1,"tasksRunning":1,"tasksHealthy":1,"tasksUnhealthy":0,
              "deployments":[],
              "tasks":[
                {"id":"prod_web.instance-b._app.1","appId":"/prod/web","host":"127.0.0.1","ports":[31001],"state":"TASK_STAGING"},
                {"id":"prod_web.instance-a._app.1","appId":"/prod/web","host":"127.0.0.1","ports":[31000],"state":"TASK_RUNNING",
                 "startedAt":"2026-11-22T04:00:02.000Z","healthCheckResults":[{"alive":true,"consecutiveFailures":0}]}]}}
            """);

        var result = await Cli.RunAsync(server, "app show prod/web");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Line.ShouldBe("GET /v2/apps/prod/web");
        result.Out.ShouldBe(
            "ID:           /prod/web\n" +
            "Command:      python3 -m http.server $PORT0\n" +
            "Instances:    1 running of 2 (1 staged, 1 healthy, 0 unhealthy)\n" +
            "Resources:    cpus 0.1, mem 64 MiB, disk 0 MiB\n" +
            "Status:       waiting\n" +
            "Networks:     host\n" +
            "Ports:        10000\n" +
            "Labels:       HAPROXY_GROUP=external, team=web\n" +
            "Version:      2026-11-22T04:00:00.000Z\n" +
            "Deployments:  none\n" +
            "\n" +
            "Tasks:\n" +
            "TASK ID                     HOST       PORTS  STATE         HEALTH   STARTED\n" +
            "prod_web.instance-a._app.1  127.0.0.1  31000  TASK_RUNNING  healthy  2026-11-22T04:00:02.000Z\n" +
            "prod_web.instance-b._app.1  127.0.0.1  31001  TASK_STAGING  -        -\n");
    }

    [Fact]
    public async Task AppShow_UnknownApp_PrintsServerMessageAndExitsOne()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/apps/nope", """{"message":"App '/nope' does not exist"}""", 404);

        var result = await Cli.RunAsync(server, "app show /nope");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("error: App '/nope' does not exist (HTTP 404)\n");
    }

    [Fact]
    public async Task AppUpdate_Force_PutsTheBodyWithForce()
    {
        var server = new FakeMarathon().OnJson("PUT", "/v2/apps/prod/web", Examples.Read("deployments_result.json"));

        var result = await Cli.RunAsync(server, "app update /prod/web - --force", stdin: """{"cmd":"sleep 100","env":{"A":"1"}}""");

        result.ExitCode.ShouldBe(0, result.Error);
        var request = server.Requests.Single();
        request.Line.ShouldBe("PUT /v2/apps/prod/web?force=true");
        request.Body.ShouldBe("""{"cmd":"sleep 100","env":{"A":"1"}}""");
        result.Out.ShouldBe("Updating app /prod/web: deployment 5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43 (version 2015-09-29T15:59:51.164Z)\n");
    }

    [Fact]
    public async Task AppScale_Instances_PutsOnlyInstances()
    {
        var server = new FakeMarathon().OnJson("PUT", "/v2/apps/prod/web", Examples.Read("deployments_result.json"));

        var result = await Cli.RunAsync(server, "app scale prod/web 5");

        result.ExitCode.ShouldBe(0, result.Error);
        var request = server.Requests.Single();
        request.Line.ShouldBe("PUT /v2/apps/prod/web");
        request.Body.ShouldBe("""{"instances":5}""");
        result.Out.ShouldBe("Scaling app /prod/web to 5 instances: deployment 5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43 (version 2015-09-29T15:59:51.164Z)\n");
    }

    [Theory]
    [InlineData("app scale /x -1")]
    [InlineData("app scale /x many")]
    [InlineData("app scale /x")]
    [InlineData("app frobnicate")]
    [InlineData("app show")]
    public async Task App_BadCommandLine_ExitsWithUsageCodeWithoutCallingTheServer(string args)
    {
        var server = new FakeMarathon();

        var result = await Cli.RunAsync(server, args);

        result.ExitCode.ShouldBe(64);
        result.Error.ShouldStartWith("error: ");
        result.Error.ShouldContain("--help' for usage.");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task AppRestart_Force_PostsRestartWithForce()
    {
        var server = new FakeMarathon().OnJson("POST", "/v2/apps/prod/web/restart", """{"deploymentId":"r-1","version":"v2"}""");

        var result = await Cli.RunAsync(server, "app restart /prod/web --force");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Line.ShouldBe("POST /v2/apps/prod/web/restart?force=true");
        result.Out.ShouldBe("Restarting app /prod/web: deployment r-1 (version v2)\n");
    }

    [Theory]
    [InlineData("app remove /prod/web", "DELETE /v2/apps/prod/web?force=false")]
    [InlineData("app remove /prod/web --force", "DELETE /v2/apps/prod/web?force=true")]
    public async Task AppRemove_AlwaysSendsForceBecauseMarathonDefaultsItToTrue(string args, string expected)
    {
        var server = new FakeMarathon().OnJson("DELETE", "/v2/apps/prod/web", """{"deploymentId":"rm-1","version":"v3"}""");

        var result = await Cli.RunAsync(server, args);

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Line.ShouldBe(expected);
        result.Out.ShouldBe("Removing app /prod/web: deployment rm-1 (version v3)\n");
    }

    [Fact]
    public async Task AppRemove_LockedByDeployment_PrintsMessageAndLockingDeployment()
    {
        var server = new FakeMarathon().OnJson("DELETE", "/v2/apps/prod/web", """
            {"message":"App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.","deployments":[{"id":"dep-9"}]}
            """, 409);

        var result = await Cli.RunAsync(server, "app remove /prod/web");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe(
            "error: App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'. (HTTP 409)\n" +
            "  locked by deployment dep-9\n");
    }

    [Fact]
    public async Task AppScale_Json_PrintsTheDeploymentResult()
    {
        var body = Examples.Read("deployments_result.json");
        var server = new FakeMarathon().OnJson("PUT", "/v2/apps/a", body);

        var result = await Cli.RunAsync(server, "app scale a 0 --json");

        result.ExitCode.ShouldBe(0, result.Error);
        JsonNode.DeepEquals(JsonNode.Parse(result.Out), JsonNode.Parse(body)).ShouldBeTrue(result.Out);
    }

    [Fact]
    public async Task AppShow_RootId_IsAUsageErrorWithoutARequest()
    {
        var server = new FakeMarathon();

        var result = await Cli.RunAsync(server, "app show /");

        result.ExitCode.ShouldBe(64);
        result.Error.ShouldBe("error: An app id must name an app, not '/'.\n");
        server.Requests.ShouldBeEmpty();
    }
}
