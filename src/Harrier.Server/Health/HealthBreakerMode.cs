namespace Harrier.Server.Health;

public enum HealthBreakerMode
{
    /// <summary>Kills happen as soon as a check asks for them.</summary>
    Closed,
    /// <summary>Too many apps fail at once: no health kills.</summary>
    Open,
    /// <summary>The failure wave passed: kills resume at a growing rate.</summary>
    Recovering,
}
