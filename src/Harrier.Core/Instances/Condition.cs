namespace Harrier.Core.Instances;

/// <summary>Marathon's instance/task condition (§11.1 of the spec).</summary>
public enum Condition
{
    Scheduled,
    Provisioned,
    Staging,
    Starting,
    Running,
    Killing,
    Unreachable,
    UnreachableInactive,
    Finished,
    Killed,
    Error,
    Failed,
    Gone,
    Dropped,
    Unknown,
}
