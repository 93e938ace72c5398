using System.Globalization;
using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Instances;

namespace Harrier.Scheduling;

/// <summary>
/// Can a deployment action ever finish on the cluster as it is (Harrier's CannotComplete)? Each function takes the
/// number of instances of the app the cluster could hold at once (<see cref="PlacementCapacity.Slots"/>) and returns
/// null, or a reason a person can act on.
/// <para>
/// A scale to N needs N slots. A rolling restart needs N slots to end with N new instances — and one more when it must
/// keep <c>minHealthy</c> instances up while old ones remain and <c>minHealthy = N</c> (minimumHealthCapacity 1): once N
/// instances are considered healthy and one of them is old, no old instance may be killed (that would drop below
/// minHealthy) and with every slot full nothing new can start, so the restart would wait for ever. Resident apps avoid
/// that by killing one instance first (spec §9.4), so they need only N. With <c>minHealthy &lt; N</c> the tight point
/// needs <c>minHealthy + 1 ≤ N</c> slots, which N already covers.
/// </para>
/// </summary>
public static class DeploymentFeasibility
{
    /// <summary>The reason <paramref name="action"/> can never finish, or null. Stop and Start actions always can.</summary>
    /// <param name="instances">All current instances of the app (old and new).</param>
    public static string? Check(AppSpec app, DeploymentAction action, IReadOnlyList<Instance> instances, bool resident, int slots)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.Kind switch
        {
            DeploymentActionKind.ScaleApplication => Scale(app, action.ScaleTo ?? app.Instances, slots),
            DeploymentActionKind.RestartApplication => Restart(app, instances, resident, slots),
            _ => null,
        };
    }

    /// <summary>How many slots <paramref name="action"/> needs (pass it as <c>upTo</c> to <see cref="PlacementCapacity.Slots"/>).</summary>
    public static int SlotsNeeded(AppSpec app, DeploymentAction action, IReadOnlyList<Instance> instances, bool resident)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(action);
        return action.Kind switch
        {
            DeploymentActionKind.ScaleApplication => Math.Max(0, action.ScaleTo ?? app.Instances),
            DeploymentActionKind.RestartApplication => RestartSlotsNeeded(app, instances, resident),
            _ => 0,
        };
    }

    public static string? Scale(AppSpec app, int scaleTo, int slots)
    {
        ArgumentNullException.ThrowIfNull(app);
        return scaleTo <= slots
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"scaling {app.Id} to {scaleTo} needs {scaleTo} slots, the cluster can hold {slots}");
    }

    /// <param name="instances">All current instances of the app; those older than its last config change are old.</param>
    public static string? Restart(AppSpec app, IReadOnlyList<Instance> instances, bool resident, int slots)
    {
        ArgumentNullException.ThrowIfNull(app);
        var needed = RestartSlotsNeeded(app, instances, resident);
        if (needed <= slots)
        {
            return null;
        }
        if (needed > app.Instances)
        {
            var s = app.UpgradeStrategy;
            return string.Create(CultureInfo.InvariantCulture,
                $"the upgrade strategy (minimumHealthCapacity {Format(s.MinimumHealthCapacity)}, maximumOverCapacity {Format(s.MaximumOverCapacity)}) needs room for {needed} instances of {app.Id} at once, but the cluster can hold {slots}");
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"restarting {app.Id} with {app.Instances} instances needs {needed} slots, the cluster can hold {slots}");
    }

    public static int RestartSlotsNeeded(AppSpec app, IReadOnlyList<Instance> instances, bool resident)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(instances);
        var n = Math.Max(0, app.Instances);
        if (n == 0)
        {
            return 0;
        }
        var minHealthy = (int)Math.Ceiling(n * app.UpgradeStrategy.MinimumHealthCapacity);
        var maxCapacity = (int)(n * (1 + app.UpgradeStrategy.MaximumOverCapacity));
        var hasHealthChecks = !app.HealthChecks.IsEmpty;
        var healthyOld = instances.Count(i => i.RunSpecVersion < app.VersionInfo.LastConfigChangeAt
            && RollingRestart.IsConsideredHealthy(i, hasHealthChecks));
        var residentGivesOneUp = resident && minHealthy == maxCapacity;
        return minHealthy >= n && healthyOld > 0 && !residentGivesOneUp ? n + 1 : n;
    }

    private static string Format(double d) => d.ToString("0.0##", CultureInfo.InvariantCulture);
}
