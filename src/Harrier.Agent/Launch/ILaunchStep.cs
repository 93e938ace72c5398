namespace Harrier.Agent.Launch;

/// <summary>
/// One concern of a task's launch on the agent (fetch, image, volumes, network …). Steps run in order before the
/// driver starts the task and are released in reverse order once it has ended, or when a later step fails. A new
/// capability (a network mode, a volume kind) is a new step, not an edit of <see cref="TaskRunner"/>.
/// </summary>
internal interface ILaunchStep
{
    string Name { get; }

    /// <summary>The state the task is in while this step runs: image pulls happen in TASK_STAGING, the rest in
    /// TASK_STARTING, as on a Mesos agent.</summary>
    LaunchPhase Phase { get; }

    /// <summary>Prepares what the step owns and records it in the context. Throws <see cref="LaunchStepException"/>
    /// to fail the task with a state, reason and message.</summary>
    Task PrepareAsync(LaunchContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Re-establishes what the step needs about a task a previous agent process prepared (after a restart), without
    /// redoing side effects that survive the agent (mounts, namespaces). Must not fail the task for a missing
    /// network; a step with nothing to restore does nothing.
    /// </summary>
    Task RecoverAsync(LaunchContext context, CancellationToken cancellationToken);

    /// <summary>Releases what <see cref="PrepareAsync"/> made. Idempotent; called after the task ended, after a
    /// failed launch, and for tasks a restarted agent finds ended.</summary>
    Task ReleaseAsync(LaunchContext context);
}
