using Harrier.Core.Ids;

namespace Harrier.Scheduling;

/// <summary>Which instances to kill (in kill order) and how many new ones to start (spec §9.6).</summary>
public sealed record ScalingDecision(IReadOnlyList<InstanceId> ToKill, int ToStart);
