namespace Harrier.Core.Instances;

public static class ConditionExtensions
{
    public static bool IsTerminal(this Condition c) => c is Condition.Finished or Condition.Killed or Condition.Error
        or Condition.Failed or Condition.Gone or Condition.Dropped or Condition.Unknown;

    /// <summary>Active: launched or about to be, and not lost for good.</summary>
    public static bool IsActive(this Condition c) => c is Condition.Provisioned or Condition.Staging or Condition.Starting
        or Condition.Running or Condition.Killing or Condition.Unreachable;

    /// <summary>Terminal conditions that grow the launch backoff (Killed does not).</summary>
    public static bool IsFailure(this Condition c) => c is Condition.Failed or Condition.Error or Condition.Finished
        or Condition.Gone or Condition.Dropped;

    /// <summary>The Mesos state name Marathon writes for a condition.</summary>
    public static string ToMesosState(this Condition c) => c switch
    {
        Condition.Staging => "TASK_STAGING",
        Condition.Starting => "TASK_STARTING",
        Condition.Running => "TASK_RUNNING",
        Condition.Killing => "TASK_KILLING",
        Condition.Unreachable or Condition.UnreachableInactive => "TASK_UNREACHABLE",
        Condition.Finished => "TASK_FINISHED",
        Condition.Killed => "TASK_KILLED",
        Condition.Error => "TASK_ERROR",
        Condition.Failed => "TASK_FAILED",
        Condition.Gone => "TASK_GONE",
        Condition.Dropped => "TASK_DROPPED",
        Condition.Unknown => "TASK_UNKNOWN",
        _ => "TASK_STAGING",
    };
}
