using System.CommandLine;
using Harrier.Client;

namespace Harrier.Cli;

/// <summary>
/// Gives each verb its action: resolves the server, makes the client, runs the body, and turns failures into
/// messages on stderr and exit codes (API error 1, unreachable 2, bad server URL 64).
/// </summary>
internal sealed class CommandRunner(CliConsole console, GlobalFlags flags, Func<string, string?> getEnv, HttpMessageHandler? handler)
{
    public void Bind(Command command, Func<CommandContext, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, body, cancellationToken));

    private async Task<int> RunAsync(ParseResult parse, Func<CommandContext, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var server = ServerUrlResolver.Resolve(parse.GetValue(flags.Server), getEnv, out var urlError);
        if (server is null)
        {
            await console.Error.WriteLineAsync($"error: {urlError}");
            return CliExitCodes.Usage;
        }
        var authorization = CredentialsResolver.Resolve(parse.GetValue(flags.Token), parse.GetValue(flags.User), getEnv, out var credentialsError);
        if (credentialsError is not null)
        {
            await console.Error.WriteLineAsync($"error: {credentialsError}");
            return CliExitCodes.Usage;
        }
        SocketsHttpHandler? trust;
        try
        {
            trust = handler is null ? CaTrust.Handler(parse.GetValue(flags.CaCert), getEnv) : null;
        }
        catch (CliInputException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return CliExitCodes.Usage;
        }
        using var ownHandler = trust;
        using var client = new HarrierClient(server, handler ?? trust) { Authorization = authorization };
        try
        {
            return await body(new CommandContext(parse, console, client, parse.GetValue(flags.Json)), cancellationToken);
        }
        catch (HarrierApiException e)
        {
            ErrorRenderer.Write(console.Error, e);
            return CliExitCodes.Failed;
        }
        catch (HarrierConnectionException e)
        {
            await console.Error.WriteLineAsync($"error: cannot reach Harrier at {Display(server)}: {e.Message}");
            return CliExitCodes.Unreachable;
        }
        catch (ArgumentException e)
        {
            // The client rejects ids that cannot name anything (an empty id, "/") before sending.
            await console.Error.WriteLineAsync($"error: {e.Message.Split(" (Parameter", 2)[0]}");
            return CliExitCodes.Usage;
        }
        catch (CliInputException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return CliExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CliExitCodes.Interrupted;
        }
        finally
        {
            await console.Out.FlushAsync(CancellationToken.None);
        }
    }

    private static string Display(Uri server) => server.AbsoluteUri.TrimEnd('/');
}
