namespace Harrier.Agent.Health;

/// <summary>The result of one probe; <see cref="Cause"/> is set for <see cref="ProbeVerdict.Unhealthy"/>.</summary>
internal readonly record struct ProbeOutcome(ProbeVerdict Verdict, string? Cause = null)
{
    public static ProbeOutcome Healthy => new(ProbeVerdict.Healthy);

    public static ProbeOutcome Ignored => new(ProbeVerdict.Ignored);

    public static ProbeOutcome Unhealthy(string cause) => new(ProbeVerdict.Unhealthy, cause);
}
