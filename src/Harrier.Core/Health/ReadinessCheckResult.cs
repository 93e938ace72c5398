namespace Harrier.Core.Health;

/// <summary>The latest readiness result of one task (Marathon's <c>ReadinessCheckResult</c>, minus the task id).</summary>
public sealed record ReadinessCheckResult
{
    public required string Name { get; init; }
    public bool Ready { get; init; }
    /// <summary>The last response, kept only when the check has <c>preserveLastResponse</c>.</summary>
    public ReadinessResponse? LastResponse { get; init; }
}
