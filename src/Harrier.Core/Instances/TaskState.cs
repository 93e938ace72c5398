namespace Harrier.Core.Instances;

/// <summary>Task states an agent reports, named as Mesos names them.</summary>
public enum TaskState
{
    Staging,
    Starting,
    Running,
    Killing,
    Finished,
    Failed,
    Killed,
    Error,
    Lost,
    Gone,
    Dropped,
    Unreachable,
    Unknown,
}
