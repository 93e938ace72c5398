using Harrier.Core.Ids;
using Harrier.Core.Instances;

namespace Harrier.Protocol;

/// <summary>A task the agent knows about and its latest state (used for registration and reconciliation).</summary>
public sealed record TaskReport(TaskId TaskId, TaskState State, string? Message = null);
