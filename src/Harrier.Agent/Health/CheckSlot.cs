namespace Harrier.Agent.Health;

/// <summary>
/// One scheduled check of one task (a health check or the readiness check): the unit the
/// <see cref="HealthCheckScheduler"/> keeps in its queue. At most one entry per slot is queued or running at a time.
/// </summary>
internal abstract class CheckSlot(TaskHealthSession session)
{
    public TaskHealthSession Session { get; } = session;

    /// <summary>When the next probe is due, in <see cref="TimeProvider.GetTimestamp"/> units.</summary>
    public long Due { get; set; }

    /// <summary>Set when an update removed the check or the readiness check is done: drop it when it comes due.</summary>
    public volatile bool Retired;

    public abstract TimeSpan Interval { get; }

    /// <summary>Probes once and applies the outcome; false when the slot should not run again.</summary>
    public abstract Task<bool> RunOnceAsync(TimeProvider time, CancellationToken cancellationToken);
}
