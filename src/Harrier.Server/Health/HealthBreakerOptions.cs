namespace Harrier.Server.Health;

/// <summary>
/// When health-check kills are paused. If at least <see cref="FailingShare"/> of the instances that have health
/// results are failing, spread over at least <see cref="MinApps"/> different apps, the likelier fault is the observer
/// (the agent's network, an overloaded host) rather than every app at once, and killing would turn a blip into an
/// outage. Once the condition clears, kills resume at <see cref="InitialKillsPerSecond"/>, doubling every
/// <see cref="RampInterval"/>, and the breaker closes after <see cref="RecoveryPeriod"/> without tripping again.
/// </summary>
public sealed class HealthBreakerOptions
{
    public bool Enabled { get; set; } = true;

    public double FailingShare { get; set; } = 0.5;

    public int MinApps { get; set; } = 3;

    public double InitialKillsPerSecond { get; set; } = 1;

    public TimeSpan RampInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RecoveryPeriod { get; set; } = TimeSpan.FromSeconds(30);
}
