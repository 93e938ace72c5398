using System.Text.Json.Nodes;
using Harrier.Cli.Tests.Fakes;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

public sealed class TaskCommandTests
{
    private const string Registry = "tools_docker_registry.002b4d28-46b9-11e5-b731-525400cce7ed";
    private const string Foosball = "frontend-foosball.083be411-5d1f-11e5-88f7-56b91e7a505b";

    [Fact]
    public async Task TaskList_MarathonExample_PrintsOneRowPerTask()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/tasks", Examples.Read("tasks.json"));

        var result = await Cli.RunAsync(server, "task list");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Line.ShouldBe("GET /v2/tasks");
        Table.Rows(result.Out).ShouldBe(
        [
            ["TASK ID", "APP", "HOST", "PORTS", "STATE", "STARTED"],
            [Foosball, "/frontend-foosball", "srv4.example.com", "31292", "TASK_RUNNING", "2015-09-17T09:32:42.598Z"],
            [Registry, "/tools/docker/registry", "srv2.example.com", "31721", "TASK_RUNNING", "2015-08-19T21:26:50.864Z"],
        ]);
    }

    [Fact]
    public async Task TaskList_Status_PassesTheStatusFilterToTheServer()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/tasks", """{"tasks":[]}""");

        var result = await Cli.RunAsync(server, "task list --status staging");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Line.ShouldBe("GET /v2/tasks?status=staging");
        result.Out.ShouldBe("TASK ID  APP  HOST  PORTS  STATE  STARTED\n");
    }

    [Fact]
    public async Task TaskList_UnknownStatus_IsAUsageError()
    {
        var server = new FakeMarathon();

        var result = await Cli.RunAsync(server, "task list --status lost");

        result.ExitCode.ShouldBe(64);
        result.Error.ShouldContain("lost");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task TaskList_AppAndStatus_UsesTheAppsTaskListAndFiltersLocally()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/apps/minecraft/survival-world/tasks", Examples.Read("app_tasks.json"));

        var running = await Cli.RunAsync(server, "task list --app /minecraft/survival-world --status running --json");
        var staging = await Cli.RunAsync(server, "task list --app /minecraft/survival-world --status staging");

        server.Requests.Select(r => r.Line).ShouldBe(["GET /v2/apps/minecraft/survival-world/tasks", "GET /v2/apps/minecraft/survival-world/tasks"]);
        running.ExitCode.ShouldBe(0, running.Error);
        JsonNode.DeepEquals(JsonNode.Parse(running.Out), JsonNode.Parse("""{"tasks":[]}""")).ShouldBeTrue(running.Out);
        Table.Rows(staging.Out).Skip(1).Single()[0].ShouldBe("minecraft_survival-world.instance-564bd685-4c30-11e5-98c1-be5b2935a987");
    }

    [Fact]
    public async Task TaskList_Json_PrintsExactlyWhatTheServerSent()
    {
        var body = Examples.Read("tasks.json");
        var server = new FakeMarathon().OnJson("GET", "/v2/tasks", body);

        var result = await Cli.RunAsync(server, "task list --json");

        JsonNode.DeepEquals(JsonNode.Parse(result.Out), JsonNode.Parse(body)).ShouldBeTrue(result.Out);
    }

    [Fact]
    public async Task TaskKill_UniquePrefix_FindsTheAppAndDeletesTheTask()
    {
        var server = new FakeMarathon()
            .OnJson("GET", "/v2/tasks", Examples.Read("tasks.json"))
            .OnJson("DELETE", $"/v2/apps/tools/docker/registry/tasks/{Registry}", Examples.Read("app_task.json"));

        var result = await Cli.RunAsync(server, "task kill tools_docker");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Select(r => r.Line).ShouldBe(["GET /v2/tasks", $"DELETE /v2/apps/tools/docker/registry/tasks/{Registry}"]);
        result.Out.ShouldBe($"Killed task {Registry} of app /tools/docker/registry\n");
    }

    [Fact]
    public async Task TaskKill_ScaleAndWipe_SendsBothFlagsAndPrintsTheDeployment()
    {
        var server = new FakeMarathon()
            .OnJson("GET", "/v2/tasks", Examples.Read("tasks.json"))
            .OnJson("DELETE", $"/v2/apps/frontend-foosball/tasks/{Foosball}", Examples.Read("deployments_result.json"));

        var result = await Cli.RunAsync(server, $"task kill {Foosball} --scale --wipe");

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests[1].Line.ShouldBe($"DELETE /v2/apps/frontend-foosball/tasks/{Foosball}?scale=true&wipe=true");
        result.Out.ShouldBe($"Killed task {Foosball} and scaled app /frontend-foosball down: deployment 5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43\n");
    }

    [Theory]
    [InlineData("nothing-like-it", "error: no task matches 'nothing-like-it'\n")]
    [InlineData("web", "error: 'web' matches 2 tasks; give more of the id: web.1, web.2\n")]
    public async Task TaskKill_UnknownOrAmbiguousTask_ExitsOneWithoutKilling(string query, string expected)
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/tasks", """
            {"tasks":[{"id":"web.2","appId":"/web"},{"id":"web.1","appId":"/web"},{"id":"db.1","appId":"/db"}]}
            """);

        var result = await Cli.RunAsync(server, $"task kill {query}");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe(expected);
        server.Requests.ShouldAllBe(r => r.Method == "GET");
    }
}
