using Harrier.Cli.Tests.Fakes;

namespace Harrier.Cli.Tests;

/// <summary>Runs one CLI invocation against a fake server with captured, non-terminal output.</summary>
public static class Cli
{
    public static async Task<CliResult> RunAsync(FakeMarathon server, string args, string? stdin = null, IReadOnlyDictionary<string, string>? env = null) =>
        await RunAsync((HttpMessageHandler)server, Split(args), stdin, env);

    public static async Task<CliResult> RunAsync(HttpMessageHandler? handler, string[] args, string? stdin = null, IReadOnlyDictionary<string, string>? env = null)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(output, error, new StringReader(stdin ?? ""), IsTerminal: false);
        var exit = await CliApp.RunAsync(args, console, name => env is not null && env.TryGetValue(name, out var v) ? v : null, handler);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Splits on spaces; good enough for test command lines, which never quote.</summary>
    public static string[] Split(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
