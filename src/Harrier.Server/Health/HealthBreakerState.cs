using Harrier.Core.Time;

namespace Harrier.Server.Health;

/// <summary>
/// The circuit breaker's state and the figures that put it there (failing/checked instances and failing apps at
/// the last evaluation). <see cref="Tokens"/> is the kill allowance while recovering.
/// </summary>
public sealed record HealthBreakerState(
    HealthBreakerMode Mode,
    Timestamp Since,
    int FailingInstances = 0,
    int CheckedInstances = 0,
    int FailingApps = 0,
    double Tokens = 0,
    Timestamp LastRefill = default,
    int DeferredKills = 0)
{
    public static HealthBreakerState Initial { get; } = new(HealthBreakerMode.Closed, Timestamp.Zero);
}
