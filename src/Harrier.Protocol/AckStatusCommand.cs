using Harrier.Core.Ids;

namespace Harrier.Protocol;

/// <summary>The server has durably recorded the status update <paramref name="UpdateId"/>; the agent may forget it.</summary>
public sealed record AckStatusCommand(TaskId TaskId, Guid UpdateId) : AgentCommand;
