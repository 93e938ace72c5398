namespace Harrier.Drivers;

/// <summary>
/// How a task ended. <paramref name="ExitCode"/> and <paramref name="Signal"/> are null when the status could not
/// be recovered. <paramref name="MemoryLimitExceeded"/> is set when the kernel OOM-killed a process of the task.
/// </summary>
public sealed record DriverExit(int? ExitCode, int? Signal, bool MemoryLimitExceeded, string Message)
{
    public bool Succeeded => ExitCode == 0 && !MemoryLimitExceeded;
}
