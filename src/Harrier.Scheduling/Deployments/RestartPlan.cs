namespace Harrier.Scheduling;

/// <summary>The opening numbers of a rolling restart (spec §9.4).</summary>
public sealed record RestartPlan(int MinHealthy, int MaxCapacity, int KillNow);
