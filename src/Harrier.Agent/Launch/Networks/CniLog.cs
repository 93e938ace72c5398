using Microsoft.Extensions.Logging;

namespace Harrier.Agent.Launch.Networks;

/// <summary>Log messages of the agent's CNI networks.</summary>
internal static partial class CniLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "CNI networks loaded from {Directory}: {Networks}")]
    public static partial void Loaded(ILogger logger, string directory, string networks);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "CNI configuration skipped: {Problem}")]
    public static partial void Skipped(ILogger logger, string problem);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "CNI DEL of {Owner} on network {Network} failed; kept for the next start: {Problem}")]
    public static partial void DeleteFailed(ILogger logger, string owner, string network, string problem);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "CNI attachment of {Owner} on network {Network} deleted: its task is gone")]
    public static partial void Reclaimed(ILogger logger, string owner, string network);
}
