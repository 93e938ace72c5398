using Microsoft.Extensions.Logging;

namespace Harrier.Drivers;

/// <summary>A task an <see cref="ExitPoller"/> watches.</summary>
internal interface IPolledTask
{
    /// <summary>True once the task's launcher is gone; called only from the poller's loop.</summary>
    bool PollExited();

    /// <summary>Collects the exit and releases the task's resources; called once, after <see cref="PollExited"/> said so.</summary>
    Task FinishAsync(ILogger logger);
}
