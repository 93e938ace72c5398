namespace Harrier.Drivers;

/// <summary>A task a driver started or recovered.</summary>
public interface IDriverTask
{
    /// <summary>What must be checkpointed to find the task again after an agent restart.</summary>
    DriverHandle Handle { get; }

    /// <summary>Completes once the task has ended and its resources (cgroup, stray processes) are released.</summary>
    Task<DriverExit> Exited { get; }

    /// <summary>SIGTERM to the whole task, SIGKILL after <paramref name="gracePeriod"/>. Completes when it has ended.</summary>
    Task KillAsync(TimeSpan gracePeriod, CancellationToken cancellationToken);
}
