namespace Harrier.Core.Apps;

public sealed record UpgradeStrategy(double MinimumHealthCapacity, double MaximumOverCapacity)
{
    public static UpgradeStrategy Default { get; } = new(1.0, 1.0);

    /// <summary>The default for resident apps (persistent or external volumes).</summary>
    public static UpgradeStrategy ResidentDefault { get; } = new(0.5, 0.0);
}
