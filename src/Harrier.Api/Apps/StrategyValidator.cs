using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>
/// Upgrade and unreachable strategies, and the rules that tie them to the single-instance label and to resident
/// apps (<c>complyWithUpgradeStrategyRules</c>, <c>complyWithSingleInstanceLabelRules</c>, <c>UnreachableStrategy</c>).
/// </summary>
internal static class StrategyValidator
{
    public const string SingleInstanceLabel = "MARATHON_SINGLE_INSTANCE_APP";

    public static IEnumerable<Violation> Validate(AppRaml app)
    {
        var single = app.Labels.TryGetValue(SingleInstanceLabel, out var v) && v == "true";
        if (single && app.Instances > 1)
        {
            yield return new Violation("/", "Single instance app may only have one instance");
        }
        var hasPersistent = app.Container?.Volumes.Any(v => v.Persistent is not null) ?? false;
        if (app.Residency is not null && !hasPersistent)
        {
            yield return new Violation("/", "App must contain persistent volumes and define residency");
        }
        if (app.UpgradeStrategy is { } us)
        {
            if (single && us.MinimumHealthCapacity != 0.0)
            {
                yield return new Violation("/upgradeStrategy/minimumHealthCapacity", $"got {ScalaText.Double(us.MinimumHealthCapacity)}, expected 0.0");
            }
            if ((single || app.Residency is not null) && us.MaximumOverCapacity != 0.0)
            {
                yield return new Violation("/upgradeStrategy/maximumOverCapacity", $"got {ScalaText.Double(us.MaximumOverCapacity)}, expected 0.0");
            }
        }
        if (app.UnreachableStrategy is { } unreachable)
        {
            if (app.Residency is not null && !unreachable.Disabled)
            {
                yield return new Violation("/", "unreachableStrategy must be disabled for resident tasks");
            }
            if (!unreachable.Disabled && unreachable.InactiveAfterSeconds > unreachable.ExpungeAfterSeconds)
            {
                yield return new Violation(
                    "/unreachableStrategy/inactiveAfterSeconds",
                    $"inactiveAfterSeconds ({unreachable.InactiveAfterSeconds}) must be less or equal to expungeAfterSeconds, which is {unreachable.ExpungeAfterSeconds}");
            }
        }
    }
}
