using Harrier.Server.Orchestration;
using Harrier.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Harrier.Host;

/// <summary>
/// Opens the store before anything else starts, so a lost, damaged or unwritable one stops the server with one line
/// and exit code 2 (never a stack trace, never exit 0), before an agent or the API could act on an empty state.
/// </summary>
internal static class StateStart
{
    public const int ExitCode = 2;

    /// <summary>Opens the store (resolving it opens it); null when it opened, else the exit code after saying why.</summary>
    public static async Task<int?> OpenAsync(WebApplication app, string verb)
    {
        try
        {
            var store = app.Services.GetRequiredService<IClusterStore>();
            if (store is SqliteClusterStore { Recovery: { } recovery })
            {
                await Console.Out.WriteLineAsync($"{verb}: --recover-from-agents: {recovery}; tasks the agents report are kept as orphans (GET /v2/orphans), not killed");
            }
            return null;
        }
        catch (StateStoreException e)
        {
            await Console.Error.WriteLineAsync($"{verb}: {e.Message}");
            return ExitCode;
        }
    }

    /// <summary>Waits for the stored state to load; a store that cannot be read stops the server with one line.</summary>
    public static async Task<int?> LoadedAsync(WebApplication app, string verb)
    {
        try
        {
            await app.Services.GetRequiredService<Orchestrator>().Loaded;
            return null;
        }
        catch (StateStoreException e)
        {
            await Console.Error.WriteLineAsync($"{verb}: {e.Message}");
            await app.StopAsync();
            return ExitCode;
        }
    }
}
