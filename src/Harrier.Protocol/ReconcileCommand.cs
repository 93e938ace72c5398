using Harrier.Core.Collections;
using Harrier.Core.Ids;

namespace Harrier.Protocol;

/// <summary>
/// The server asks for the current state of these tasks. The agent answers with a status update for each
/// (TASK_GONE/Unknown reason for tasks it does not know).
/// </summary>
public sealed record ReconcileCommand(ValueList<TaskId> TaskIds) : AgentCommand;
