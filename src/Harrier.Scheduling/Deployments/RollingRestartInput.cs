using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;

namespace Harrier.Scheduling;

/// <summary>
/// Everything one pass of a rolling restart looks at (spec §9.4). An instance whose <c>RunSpecVersion</c> is older than
/// <see cref="ConfigVersion"/> (the app's <c>VersionInfo.LastConfigChangeAt</c>) is OLD; every other one is NEW.
/// </summary>
/// <param name="TargetInstances">N, the app's target <c>instances</c>.</param>
/// <param name="Resident">True for apps with persistent volumes: they never over-provision (§9.4 special case).</param>
/// <param name="HasHealthChecks">Whether the app has health checks (without them, Running counts as healthy).</param>
/// <param name="HasReadinessChecks">Whether the app has readiness checks (without them, healthy counts as ready).</param>
/// <param name="Instances">All current instances of the app, old and new, in any goal or condition.</param>
/// <param name="ReadyInstances">Instances whose readiness check has passed; ignored without readiness checks.</param>
public sealed record RollingRestartInput(
    int TargetInstances,
    UpgradeStrategy Strategy,
    bool Resident,
    bool HasHealthChecks,
    bool HasReadinessChecks,
    Timestamp ConfigVersion,
    IReadOnlyList<Instance> Instances,
    IReadOnlySet<InstanceId>? ReadyInstances = null)
{
    /// <summary>The input for <paramref name="app"/> as it is now (N, strategy, checks and config version from the spec).</summary>
    public static RollingRestartInput For(
        AppSpec app, bool resident, IReadOnlyList<Instance> instances, IReadOnlySet<InstanceId>? readyInstances = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new RollingRestartInput(
            app.Instances,
            app.UpgradeStrategy,
            resident,
            !app.HealthChecks.IsEmpty,
            !app.ReadinessChecks.IsEmpty,
            app.VersionInfo.LastConfigChangeAt,
            instances,
            readyInstances);
    }
}
