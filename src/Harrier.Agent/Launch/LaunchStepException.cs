using Harrier.Core.Instances;

namespace Harrier.Agent.Launch;

/// <summary>A launch step failed: the task ends in <see cref="State"/> with a Mesos <see cref="Reason"/> and the message.</summary>
internal sealed class LaunchStepException(TaskState state, string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public TaskState State { get; } = state;

    public string Reason { get; } = reason;
}
