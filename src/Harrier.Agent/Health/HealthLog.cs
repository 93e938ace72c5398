using Harrier.Core.Ids;
using Microsoft.Extensions.Logging;

namespace Harrier.Agent.Health;

internal static partial class HealthLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Health checks of {TaskId} started ({Checks} checks, readiness {Readiness})")]
    public static partial void Started(ILogger logger, TaskId taskId, int checks, bool readiness);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Health checks of {TaskId} stopped")]
    public static partial void Stopped(ILogger logger, TaskId taskId);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Sending the health report of {TaskId} failed; the next change or registration sends it again")]
    public static partial void SendFailed(ILogger logger, TaskId taskId, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "A health check probe of {TaskId} failed unexpectedly")]
    public static partial void ProbeFailed(ILogger logger, TaskId taskId, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Check update for {TaskId} ignored: the agent runs no checks for that task")]
    public static partial void UpdateForUnknownTask(ILogger logger, TaskId taskId);
}
