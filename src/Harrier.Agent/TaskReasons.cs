namespace Harrier.Agent;

/// <summary>Mesos reason names the agent reports.</summary>
internal static class TaskReasons
{
    public const string MemoryLimit = "REASON_CONTAINER_LIMITATION_MEMORY";
    public const string LaunchFailed = "REASON_CONTAINER_LAUNCH_FAILED";
    public const string ImagePullFailed = Protocol.TaskStatusReasons.ImagePullFailed;
    public const string FetchFailed = "REASON_FETCHER_FAILED";
    public const string CommandFailed = "REASON_COMMAND_EXECUTOR_FAILED";
    public const string InvalidTask = "REASON_TASK_INVALID";
    public const string Unknown = "REASON_TASK_UNKNOWN";
    public const string Reconciliation = "REASON_RECONCILIATION";
    public const string AgentRestarted = "REASON_AGENT_RESTARTED";
}
