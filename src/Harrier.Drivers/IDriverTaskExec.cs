namespace Harrier.Drivers;

/// <summary>
/// Optional capability of an <see cref="IDriverTask"/>: run a command inside the task's isolation (its container's
/// namespaces, root filesystem and user), as Mesos runs COMMAND health checks and <c>MESOS_*</c> checks.
/// </summary>
public interface IDriverTaskExec
{
    /// <summary>Runs <c>/bin/sh -c <paramref name="shell"/></c> inside the task; the result is the exit code (null if
    /// it timed out and was killed) and up to a few KiB of combined output.</summary>
    Task<(int? ExitCode, string Output)> ExecAsync(string shell, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken cancellationToken);
}
