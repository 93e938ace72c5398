namespace Harrier.Scheduling;

/// <summary>Marathon's <c>NoOfferMatchReason</c> names, as the queue API reports them.</summary>
public static class RejectReason
{
    public const string UnfulfilledRole = "UnfulfilledRole";
    public const string UnfulfilledConstraint = "UnfulfilledConstraint";
    public const string InsufficientCpus = "InsufficientCpus";
    public const string InsufficientMemory = "InsufficientMemory";
    public const string InsufficientDisk = "InsufficientDisk";
    public const string InsufficientGpus = "InsufficientGpus";
    public const string InsufficientPorts = "InsufficientPorts";
    /// <summary>The agent is draining (Mesos maintenance): it gets no new instances.</summary>
    public const string AgentMaintenance = "AgentMaintenance";
    /// <summary>Harrier: the app has a container image and the agent cannot run containers (not root, no runtime).</summary>
    public const string NoContainerRuntime = "NoContainerRuntime";
    /// <summary>Harrier: the app joins a named network (CNI) the agent does not offer.</summary>
    public const string NetworkUnavailable = "NetworkUnavailable";
}
