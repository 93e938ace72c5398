namespace Harrier.Drivers;

/// <summary>
/// Runs tasks. The contract is deliberately small: start, re-attach after an agent restart, and (on the returned
/// <see cref="IDriverTask"/>) wait and kill. Optional capabilities are separate interfaces.
/// </summary>
public interface ITaskDriver
{
    string Name { get; }

    /// <summary>Starts the task. Throws <see cref="DriverLaunchException"/> when it cannot be started.</summary>
    Task<IDriverTask> StartAsync(DriverTaskSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Re-attaches to a task a previous agent process started, without restarting it. When the task ended while
    /// the agent was down, the returned task's <see cref="IDriverTask.Exited"/> is already complete.
    /// </summary>
    Task<IDriverTask> RecoverAsync(DriverTaskSpec spec, DriverHandle handle, CancellationToken cancellationToken);
}
