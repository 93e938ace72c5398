using Harrier.Cli.Tests.Fakes;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

public sealed class CliAppTests
{
    [Fact]
    public async Task RunAsync_Version_PrintsTheVersionAndExitsZero()
    {
        var result = await Cli.RunAsync(new FakeMarathon(), "--version");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldMatch(@"^harrier \d+\.\d+\.\d+\S*\n$");
    }

    [Fact]
    public async Task RunAsync_Help_ListsTheVerbsAndExitsZero()
    {
        var result = await Cli.RunAsync(new FakeMarathon(), "--help");

        result.ExitCode.ShouldBe(0, result.Error);
        foreach (var verb in new[] { "app", "task", "logs", "deployment", "queue", "info", "dev", "--json", "--server" })
        {
            result.Out.ShouldContain(verb);
        }
    }

    [Fact]
    public async Task RunAsync_NoVerb_ShowsHelpAndExitsWithUsageCode()
    {
        var result = await Cli.RunAsync(new FakeMarathon(), "");

        result.ExitCode.ShouldBe(64);
        result.Out.ShouldContain("Usage:");
    }

    [Fact]
    public async Task RunAsync_UnknownVerb_ExitsWithUsageCode()
    {
        var server = new FakeMarathon();

        var result = await Cli.RunAsync(server, "frobnicate --now");

        result.ExitCode.ShouldBe(64);
        result.Error.ShouldContain("frobnicate");
        result.Error.ShouldEndWith("Run 'harrier --help' for usage.\n");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_PublicEntryWithStringWriter_PrintsPlainTable()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/apps", Examples.Read("app_list.json"));
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await CliApp.RunAsync(["app", "list"], output, error, _ => null, server);

        exit.ShouldBe(0, error.ToString());
        Table.Rows(output.ToString().ReplaceLineEndings("\n"))[1].ShouldBe(["/myapp", "0/3", "0.1", "5", "deploying", "env && sleep 60"]);
    }

    [Fact]
    public async Task RunAsync_Terminal_DrawsABoxedTable()
    {
        var server = new FakeMarathon().OnJson("GET", "/v2/apps", Examples.Read("app_list.json"));
        var output = new StringWriter();
        var console = new CliConsole(output, new StringWriter(), TextReader.Null, IsTerminal: true);

        var exit = await CliApp.RunAsync(["app", "list"], console, _ => null, server);

        exit.ShouldBe(0);
        var text = output.ToString();
        text.ShouldContain("/myapp");
        text.ShouldContain("deploying");
        text.IndexOfAny(['│', '|']).ShouldBeGreaterThanOrEqualTo(0, "a bordered table");
    }

    [Fact]
    public async Task RunAsync_ServerAnswersWithoutJson_PrintsTheTextAndExitsOne()
    {
        var server = new FakeMarathon().On("GET", "/v2/info", _ => new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable)
        {
            Content = new StringContent("Too many concurrent requests! Allowed: 1."),
        });

        var result = await Cli.RunAsync(server, "info");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("error: Too many concurrent requests! Allowed: 1. (HTTP 503)\n");
    }

    [Fact]
    public async Task RunAsync_TerminalWithLongTaskId_KeepsTheIdOnOneLine()
    {
        var id = "prod_web.instance-" + new string('a', 90) + "._app.1";
        var server = new FakeMarathon().OnJson("GET", "/v2/tasks", $$"""{"tasks":[{"id":"{{id}}","appId":"/prod/web","host":"127.0.0.1","state":"TASK_RUNNING"}]}""");
        var output = new StringWriter();
        var console = new CliConsole(output, new StringWriter(), TextReader.Null, IsTerminal: true);

        var exit = await CliApp.RunAsync(["task", "list"], console, _ => null, server);

        exit.ShouldBe(0);
        output.ToString().ShouldContain(id, customMessage: "a wrapped id cannot be copied");
    }
}

public sealed class DaemonVerbTests
{
    [Fact]
    public async Task RunAsync_DevOutsideTheHarrierExecutable_ExplainsAndFailsAsUsage()
    {
        var fake = new FakeMarathon();
        var result = await Cli.RunAsync(fake, "dev --http-port 9000");

        result.ExitCode.ShouldBe(64);
        result.Error.ShouldContain("'dev' runs in the harrier executable");
        fake.Requests.ShouldBeEmpty();
    }
}
