namespace Harrier.Core.Apps;

/// <summary><c>resourceLimits</c>: a null limit means not set; <see cref="double.PositiveInfinity"/> means "unlimited".</summary>
public sealed record ResourceLimitsSpec(double? Cpus, double? Mem);
