namespace Harrier.Core.Instances;

/// <summary>
/// What the control plane wants of an instance. <c>Decommissioned</c>: kill the task, then expunge the instance.
/// <c>Stopped</c>: kill the task but keep the instance (resident apps).
/// </summary>
public enum Goal
{
    Running,
    Stopped,
    Decommissioned,
}
