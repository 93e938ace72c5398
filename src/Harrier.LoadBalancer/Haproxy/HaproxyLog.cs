using Microsoft.Extensions.Logging;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>The supervisor's log lines (event ids 1850–1869).</summary>
internal static partial class HaproxyLog
{
    [LoggerMessage(EventId = 1850, Level = LogLevel.Information, Message = "HAProxy started: master {Master}, config {Config}")]
    public static partial void Started(ILogger logger, int master, string config);

    [LoggerMessage(EventId = 1851, Level = LogLevel.Information, Message = "Adopted the running HAProxy master {Master} for {Config}")]
    public static partial void Adopted(ILogger logger, int master, string config);

    [LoggerMessage(EventId = 1852, Level = LogLevel.Information, Message = "PID file names {Pid}, which is not an answering HAProxy for this work directory ({Why}); starting afresh")]
    public static partial void NotAdopted(ILogger logger, int pid, string why);

    [LoggerMessage(EventId = 1853, Level = LogLevel.Information, Message = "Runtime change without reload: {Added} added, {Removed} removed, {Toggled} toggled")]
    public static partial void RuntimeApplied(ILogger logger, int added, int removed, int toggled);

    [LoggerMessage(EventId = 1854, Level = LogLevel.Information, Message = "Reloaded HAProxy ({Reason}): new worker {Worker}")]
    public static partial void Reloaded(ILogger logger, string reason, int worker);

    [LoggerMessage(EventId = 1855, Level = LogLevel.Warning, Message = "HAProxy refused the new configuration; the previous one keeps serving: {Error}")]
    public static partial void Rejected(ILogger logger, string error);

    [LoggerMessage(EventId = 1856, Level = LogLevel.Warning, Message = "Server {Backend}/{Server} still had sessions after {Seconds}s of draining; cutting them off")]
    public static partial void DrainTimedOut(ILogger logger, string backend, string server, double seconds);

    [LoggerMessage(EventId = 1857, Level = LogLevel.Warning, Message = "Runtime API refused '{Command}': {Answer}")]
    public static partial void RuntimeRefused(ILogger logger, string command, string answer);

    [LoggerMessage(EventId = 1858, Level = LogLevel.Information, Message = "HAProxy master {Master} stopped")]
    public static partial void Stopped(ILogger logger, int master);

    [LoggerMessage(EventId = 1859, Level = LogLevel.Warning, Message = "Stopping the unanswering HAProxy {Pid} of this work directory before starting afresh")]
    public static partial void StoppingStale(ILogger logger, int pid);
}
