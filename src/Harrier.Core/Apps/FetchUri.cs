namespace Harrier.Core.Apps;

/// <summary>An artifact fetched into the sandbox before the task starts.</summary>
public sealed record FetchUri(string Uri, bool Extract = true, bool Executable = false, bool Cache = false, string? DestPath = null);
