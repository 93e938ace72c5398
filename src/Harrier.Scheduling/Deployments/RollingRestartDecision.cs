using Harrier.Core.Ids;

namespace Harrier.Scheduling;

/// <summary>
/// What one pass of a rolling restart does now (spec §9.4): set the goal of <see cref="Kill"/> (old instances, in this
/// order) to Decommissioned — Stopped for resident apps — and create <see cref="Launch"/> new instances.
/// <see cref="MinHealthy"/> and <see cref="MaxCapacity"/> are the effective bounds of this pass (after the +1 rule).
/// </summary>
public sealed record RollingRestartDecision(IReadOnlyList<InstanceId> Kill, int Launch, bool Done, int MinHealthy, int MaxCapacity);
