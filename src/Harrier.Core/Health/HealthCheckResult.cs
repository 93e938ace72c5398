using Harrier.Core.Time;

namespace Harrier.Core.Health;

/// <summary>
/// The state of one health check of one task (Marathon's <c>Health</c>): <see cref="Alive"/> is true when there has
/// been a success and no failure after it. <see cref="CheckIndex"/> indexes the app's <c>healthChecks</c>.
/// </summary>
public sealed record HealthCheckResult
{
    public required int CheckIndex { get; init; }
    public int ConsecutiveFailures { get; init; }
    public Timestamp? FirstSuccess { get; init; }
    public Timestamp? LastSuccess { get; init; }
    public Timestamp? LastFailure { get; init; }
    public string? LastFailureCause { get; init; }

    public bool Alive => LastSuccess is { } success && (LastFailure is not { } failure || success > failure);
}
