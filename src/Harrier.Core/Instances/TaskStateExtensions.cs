namespace Harrier.Core.Instances;

public static class TaskStateExtensions
{
    public static bool IsTerminal(this TaskState s) => s is TaskState.Finished or TaskState.Failed or TaskState.Killed
        or TaskState.Error or TaskState.Lost or TaskState.Gone or TaskState.Dropped or TaskState.Unknown;

    public static Condition ToCondition(this TaskState s) => s switch
    {
        TaskState.Staging => Condition.Staging,
        TaskState.Starting => Condition.Starting,
        TaskState.Running => Condition.Running,
        TaskState.Killing => Condition.Killing,
        TaskState.Finished => Condition.Finished,
        TaskState.Failed => Condition.Failed,
        TaskState.Killed => Condition.Killed,
        TaskState.Error => Condition.Error,
        TaskState.Lost => Condition.Gone,
        TaskState.Gone => Condition.Gone,
        TaskState.Dropped => Condition.Dropped,
        TaskState.Unreachable => Condition.Unreachable,
        _ => Condition.Unknown,
    };

    public static string ToMesosName(this TaskState s) => "TASK_" + s.ToString().ToUpperInvariant();
}
