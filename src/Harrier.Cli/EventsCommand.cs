using System.CommandLine;

namespace Harrier.Cli;

/// <summary><c>harrier events [--type T]…</c>: the server's event stream, one event per line, until Ctrl+C.</summary>
internal static class EventsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var types = new Option<string[]>("--type") { Description = "Only these event types (repeatable), e.g. status_update_event", AllowMultipleArgumentsPerToken = false };
        var command = new Command("events", "Stream the server's events (Marathon's /v2/events)") { types };
        runner.Bind(command, async (ctx, ct) =>
        {
            await foreach (var (type, data) in ctx.Client.StreamEventsAsync(ctx.Value(types) ?? [], ct))
            {
                await ctx.Out.WriteLineAsync(ctx.Json ? data : $"{type} {data}");
                await ctx.Out.FlushAsync(ct);
            }
            return CliExitCodes.Ok;
        });
        return command;
    }
}
