namespace Harrier.Core.Apps;

public sealed record LinuxInfoSpec(string? SeccompProfileName, bool? SeccompUnconfined, string? IpcMode, int? IpcShmSize);
