using Harrier.Core.Ids;

namespace Harrier.Protocol;

/// <summary>Kill a task: SIGTERM to its process group, SIGKILL after the grace period. Idempotent.</summary>
public sealed record KillTaskCommand(TaskId TaskId, int GracePeriodSeconds) : AgentCommand;
