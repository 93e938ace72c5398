using Harrier.Core.Collections;
using Harrier.Core.Ids;

namespace Harrier.Protocol;

/// <summary>
/// Replace the health checks of a running task in place (an in-place app update changed only their thresholds).
/// Each check keeps its state (counts, first/last success) when a check with the same index continues.
/// </summary>
public sealed record UpdateTaskChecksCommand(TaskId TaskId, ValueList<TaskHealthCheck> HealthChecks) : AgentCommand;
