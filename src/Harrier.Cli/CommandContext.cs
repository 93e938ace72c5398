using System.CommandLine;
using System.Text.Json.Nodes;
using Harrier.Client;

namespace Harrier.Cli;

/// <summary>What a verb's body gets: its parse result, a client for the resolved server, and the output.</summary>
internal sealed class CommandContext(ParseResult parse, CliConsole console, HarrierClient client, bool json)
{
    public ParseResult Parse { get; } = parse;

    public CliConsole Console { get; } = console;

    public HarrierClient Client { get; } = client;

    /// <summary>True with <c>--json</c>: print the server's answer instead of the human form.</summary>
    public bool Json { get; } = json;

    public TextWriter Out => Console.Out;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public int PrintJson(JsonNode node)
    {
        JsonPrinter.Write(Out, node);
        return CliExitCodes.Ok;
    }

    /// <summary>What a verb that starts a deployment prints: the server's answer with <c>--json</c>, else one line
    /// naming the deployment (and the new version, when there is one).</summary>
    public async Task<int> ReportDeploymentAsync(DeploymentResult result, string what)
    {
        if (Json)
        {
            return PrintJson(result.Raw);
        }
        await Out.WriteLineAsync($"{what}: deployment {CellText.Or(result.DeploymentId)}" + (result.Version is { } v ? $" (version {v})" : ""));
        return CliExitCodes.Ok;
    }

    /// <summary>An app or group id as the user typed it, shown absolute (<c>prod/web/</c> → <c>/prod/web</c>).</summary>
    public static string NormalizeId(string id) => "/" + id.Trim().Trim('/');

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) => TableRenderer.Write(Console, headers, rows);
}
