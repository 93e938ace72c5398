using Harrier.Core.Apps;

namespace Harrier.Scheduling;

/// <summary>The app with its service ports assigned, or the error Marathon raises when the range is exhausted.</summary>
public sealed record ServicePortResult(AppSpec? App, string? Error)
{
    public bool IsSuccess => Error is null;
}
