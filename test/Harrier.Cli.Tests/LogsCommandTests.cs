using System.Net;
using Harrier.Cli.Tests.Fakes;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

public sealed class LogsCommandTests
{
    private const string Foosball = "frontend-foosball.083be411-5d1f-11e5-88f7-56b91e7a505b";
    private const string LogsPath = $"/v2/apps/frontend-foosball/tasks/{Foosball}/logs";

    [Fact]
    public async Task Logs_StderrAndTail_RequestsThatStreamAndPrintsTheText()
    {
        var server = new FakeMarathon()
            .OnJson("GET", "/v2/tasks", Examples.Read("tasks.json"))
            .On("GET", LogsPath, _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("boom\nstack trace\n") });

        var result = await Cli.RunAsync(server, "logs frontend --stderr --tail 20");

        result.ExitCode.ShouldBe(0, result.Error);
        var logs = server.Requests[1];
        logs.Line.ShouldBe($"GET {LogsPath}?stream=stderr&tail=20");
        logs.Accept.ShouldBe("text/plain");
        result.Out.ShouldBe("boom\nstack trace\n");
    }

    [Fact]
    public async Task Logs_Follow_PrintsEachChunkAsItArrives()
    {
        var body = new PushStream();
        var server = new FakeMarathon()
            .OnJson("GET", "/v2/tasks", Examples.Read("tasks.json"))
            .On("GET", LogsPath, _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) });
        var output = new CapturingWriter();
        var error = new CapturingWriter();
        var console = new CliConsole(output, error, TextReader.Null, IsTerminal: false);

        var run = CliApp.RunAsync(Cli.Split($"logs {Foosball} --follow"), console, _ => null, server);
        body.Push("first line\n");
        await Eventually.TrueAsync(() => output.ToString() == "first line\n", TimeSpan.FromSeconds(10), "the first chunk on stdout");
        run.IsCompleted.ShouldBeFalse("the stream is still open");
        body.Push("second ");
        body.Push("line\n");
        await Eventually.TrueAsync(() => output.ToString() == "first line\nsecond line\n", TimeSpan.FromSeconds(10), "the later chunks on stdout");
        body.Complete();

        (await run.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(0, error.ToString());
        server.Requests[1].Line.ShouldBe($"GET {LogsPath}?stream=stdout&follow=true");
    }

    [Fact]
    public async Task Logs_TaskGoneOnServer_PrintsTheErrorAndExitsOne()
    {
        var server = new FakeMarathon()
            .OnJson("GET", "/v2/tasks", Examples.Read("tasks.json"))
            .OnJson("GET", LogsPath, $$"""{"message":"Task '{{Foosball}}' does not exist"}""", 404);

        var result = await Cli.RunAsync(server, "logs frontend");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe($"error: Task '{Foosball}' does not exist (HTTP 404)\n");
    }

    [Fact]
    public async Task Logs_NoSuchTask_ExitsOneWithoutAskingForLogs()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/tasks", Examples.Read("tasks.json"));

        var result = await Cli.RunAsync(server, "logs zzz");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("error: no task matches 'zzz'\n");
        server.Requests.Count.ShouldBe(1);
    }
}
