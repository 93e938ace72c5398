using Harrier.Core.Ids;
using Microsoft.Extensions.Logging;

namespace Harrier.Agent;

internal static partial class AgentLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Agent {AgentId} registered with {TaskCount} tasks")]
    public static partial void Registered(ILogger logger, AgentId agentId, int taskCount);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Agent registration refused: {Error}")]
    public static partial void RegistrationRefused(ILogger logger, string? error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Connection to the server lost; reconnecting in {Delay}")]
    public static partial void ConnectionLost(ILogger logger, TimeSpan delay, Exception? exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Sending status update for {TaskId} failed; it will be resent")]
    public static partial void SendFailed(ILogger logger, TaskId taskId, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Recovered {Count} tasks from the checkpoint")]
    public static partial void Recovered(ILogger logger, int count);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Ignoring a launch of {TaskId}: the agent already knows that task")]
    public static partial void DuplicateLaunch(ILogger logger, TaskId taskId);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Task {TaskId} failed unexpectedly in the agent")]
    public static partial void RunnerFailed(ILogger logger, TaskId taskId, Exception exception);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "Destroyed {Count} persistent volume(s) of instance {InstanceId}")]
    public static partial void VolumesDestroyed(ILogger logger, string instanceId, int count);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Warning, Message = "Could not destroy the persistent volumes of instance {InstanceId}")]
    public static partial void VolumesNotDestroyed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 1033, Level = LogLevel.Warning, Message = "Tasks with a container image cannot run on this agent: {Reason}")]
    public static partial void NoContainers(ILogger logger, string reason);

    [LoggerMessage(EventId = 1034, Level = LogLevel.Information, Message = "Removed {Count} container(s) no task of this agent knows: {Ids}")]
    public static partial void OrphanContainersRemoved(ILogger logger, int count, string ids);

    [LoggerMessage(EventId = 1062, Level = LogLevel.Information, Message = "Removed {Count} network namespace(s) of tasks no longer running, with their addresses and port mappings")]
    public static partial void OrphanNetworksRemoved(ILogger logger, int count);

    [LoggerMessage(EventId = 1063, Level = LogLevel.Warning, Message = "Applying the server's overlay configuration failed; tasks on overlays cannot start until it succeeds")]
    public static partial void OverlayConfigFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Answering the server's query {Query} failed")]
    public static partial void QueryFailed(ILogger logger, string query, Exception exception);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Debug, Message = "Log upload for task {TaskId} ended early")]
    public static partial void LogUploadEnded(ILogger logger, Harrier.Core.Ids.TaskId taskId, Exception exception);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "The server does not hold this agent as connected; registering again")]
    public static partial void HeartbeatRefused(ILogger logger);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Heartbeat failed")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1061, Level = LogLevel.Warning, Message = "Refused to serve the log of task {TaskId}: {Reason}")]
    public static partial void LogRefused(ILogger logger, Harrier.Core.Ids.TaskId taskId, string reason);
    [LoggerMessage(EventId = 1035, Level = LogLevel.Error, Message = "Handling {Command} for task {TaskId} failed; the command loop goes on")]
    public static partial void CommandFailed(ILogger logger, string command, string taskId, Exception exception);

    [LoggerMessage(EventId = 1036, Level = LogLevel.Error, Message = "The checkpoint of task {TaskId} cannot be written")]
    public static partial void CheckpointFailed(ILogger logger, TaskId taskId, Exception exception);

    [LoggerMessage(EventId = 1070, Level = LogLevel.Warning, Message = "Applying the server's VIPs failed; the previous rules stay")]
    public static partial void VipConfigFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1071, Level = LogLevel.Warning, Message = "VIPs refused: {Rejected}")]
    public static partial void VipsRejected(ILogger logger, string rejected);
}
