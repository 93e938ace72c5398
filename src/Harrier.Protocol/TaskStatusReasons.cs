namespace Harrier.Protocol;

/// <summary>Reasons of <see cref="TaskStatusUpdate"/> that the server acts on (the rest are Mesos' names, shown only).</summary>
public static class TaskStatusReasons
{
    /// <summary>Harrier's: the task's image could not be pulled. Mesos folds this into CONTAINER_LAUNCH_FAILED; a
    /// reason of its own lets the server say <c>ImagePullFailed</c> in <c>/v2/queue</c>.</summary>
    public const string ImagePullFailed = "REASON_IMAGE_PULL_FAILED";
}
