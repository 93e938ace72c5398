using Harrier.Core.Apps;
using Harrier.Core.Collections;

namespace Harrier.Scheduling;

/// <summary>
/// Which app changes restart instances. Marathon's rule (spec §9.1 <c>isUpgrade</c>): every field except
/// <c>instances</c>, <c>version</c>/<c>versionInfo</c> and <c>executorResources</c>. Harrier's opt-in: when the target
/// app carries <see cref="InPlaceUpdateLabel"/> = <c>true</c>, changes confined to labels, health-check thresholds,
/// upgrade strategy, backoff, kill selection and unreachable strategy update running instances in place.
/// <para>
/// "Only these fields differ" is decided by neutralizing them with <c>with</c> and comparing whole records, so a field
/// added to <see cref="AppSpec"/> (or <see cref="HealthCheckSpec"/>) restarts instances until it is deliberately listed
/// here. <see cref="Fields"/> only names what differs; it decides nothing.
/// </para>
/// </summary>
public static class AppChangeClassifier
{
    /// <summary>The label that opts an app into in-place updates (value <c>true</c>, any case).</summary>
    public const string InPlaceUpdateLabel = "HARRIER_IN_PLACE_UPDATE";

    /// <summary>Every <see cref="AppSpec"/> field by its Marathon JSON name (a test keeps this complete).</summary>
    internal static readonly (string Name, Func<AppSpec, object?> Get)[] Fields =
    [
        ("id", a => a.Id),
        ("cmd", a => a.Cmd),
        ("args", a => a.Args),
        ("user", a => a.User),
        ("instances", a => a.Instances),
        ("cpus", a => a.Cpus),
        ("mem", a => a.Mem),
        ("disk", a => a.Disk),
        ("gpus", a => a.Gpus),
        ("resourceLimits", a => a.ResourceLimits),
        ("executor", a => a.Executor),
        ("executorResources", a => a.ExecutorResources),
        ("env", a => a.Env),
        ("secrets", a => a.Secrets),
        ("labels", a => a.Labels),
        ("constraints", a => a.Constraints),
        ("acceptedResourceRoles", a => a.AcceptedResourceRoles),
        ("role", a => a.Role),
        ("container", a => a.Container),
        ("networks", a => a.Networks),
        ("portDefinitions", a => a.PortDefinitions),
        ("requirePorts", a => a.RequirePorts),
        ("fetch", a => a.Fetch),
        ("healthChecks", a => a.HealthChecks),
        ("check", a => a.Check),
        ("readinessChecks", a => a.ReadinessChecks),
        ("dependencies", a => a.Dependencies),
        ("upgradeStrategy", a => a.UpgradeStrategy),
        ("backoffSeconds", a => a.BackoffSeconds),
        ("backoffFactor", a => a.BackoffFactor),
        ("maxLaunchDelaySeconds", a => a.MaxLaunchDelaySeconds),
        ("killSelection", a => a.KillSelection),
        ("unreachableStrategy", a => a.UnreachableStrategy),
        ("taskKillGracePeriodSeconds", a => a.TaskKillGracePeriodSeconds),
        ("tty", a => a.Tty),
        ("residency", a => a.Residency),
        ("versionInfo", a => a.VersionInfo),
    ];

    public static AppChangeSummary Classify(AppSpec? before, AppSpec? after)
    {
        if (before is null || after is null)
        {
            var cls = before is null ? (after is null ? AppChangeClass.None : AppChangeClass.New) : AppChangeClass.Removed;
            return new AppChangeSummary(cls, []);
        }
        string[] changed = [.. Fields.Where(f => f.Name != "versionInfo" && !Equals(f.Get(before), f.Get(after))).Select(f => f.Name)];
        var instancesChanged = before.Instances != after.Instances;
        AppChangeClass result;
        if (WithoutBookkeeping(before) == WithoutBookkeeping(after))
        {
            result = instancesChanged ? AppChangeClass.Scale : AppChangeClass.None;
        }
        else if (OptsIntoInPlace(after) && WithoutInPlaceFields(before) == WithoutInPlaceFields(after))
        {
            result = AppChangeClass.InPlace;
        }
        else
        {
            result = AppChangeClass.Restart;
        }
        return new AppChangeSummary(result, changed);
    }

    /// <summary>True when the app carries <see cref="InPlaceUpdateLabel"/> = <c>true</c> (any case).</summary>
    public static bool OptsIntoInPlace(AppSpec app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Labels.TryGetValue(InPlaceUpdateLabel, out var value)
            && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What Marathon's <c>isUpgrade</c> ignores.</summary>
    private static AppSpec WithoutBookkeeping(AppSpec app) =>
        app with { Instances = 0, VersionInfo = VersionInfo.None, ExecutorResources = null };

    private static AppSpec WithoutInPlaceFields(AppSpec app) => WithoutBookkeeping(app) with
    {
        Labels = ValueMap<string>.Empty,
        // Thresholds only: count, protocol, path, ports, command and the rest still have to match.
        HealthChecks = new ValueList<HealthCheckSpec>(app.HealthChecks.Select(h => h with
        {
            GracePeriodSeconds = 0,
            IntervalSeconds = 0,
            TimeoutSeconds = 0,
            MaxConsecutiveFailures = 0,
            DelaySeconds = 0,
        })),
        UpgradeStrategy = UpgradeStrategy.Default,
        BackoffSeconds = 0,
        BackoffFactor = 0,
        MaxLaunchDelaySeconds = 0,
        KillSelection = KillSelection.YoungestFirst,
        UnreachableStrategy = UnreachableStrategy.Default,
    };
}
