using Harrier.Core.Apps;
using Harrier.Core.Time;

namespace Harrier.Scheduling;

/// <summary>
/// Marathon's version bookkeeping for one app of a root change at time T (spec §9.5, <c>GroupVersioningUtil</c>).
/// <c>version</c> moves on every change, <c>lastScalingAt</c> on scale and config changes, <c>lastConfigChangeAt</c> on
/// changes that restart instances — which is what keys the launch backoff and ignores old instances in constraints.
/// Harrier's in-place changes (<see cref="AppChangeClassifier"/>) move <c>version</c> only (and <c>lastScalingAt</c>
/// when <c>instances</c> changed too).
/// </summary>
public static class VersionBookkeeping
{
    public static AppSpec Apply(AppSpec? original, AppSpec target, Timestamp t)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (original is null)
        {
            return target with { VersionInfo = VersionInfo.ForNew(t) };
        }
        var old = original.VersionInfo;
        var change = AppChangeClassifier.Classify(original, target);
        if (change.Class == AppChangeClass.Restart)
        {
            return target with { VersionInfo = new VersionInfo(t, t, t) };
        }
        var scaled = change.InstancesChanged;
        if (target.VersionInfo.RestartRequested)
        {
            // A restart is a config change without a spec change; a scale in the same request still counts as one.
            return target with { VersionInfo = new VersionInfo(t, scaled ? t : old.LastScalingAt, t) };
        }
        if (change.Class == AppChangeClass.InPlace)
        {
            // Applied to running instances: a new version, but not a config change (nothing is replaced).
            return target with { VersionInfo = new VersionInfo(t, scaled ? t : old.LastScalingAt, old.LastConfigChangeAt) };
        }
        if (scaled)
        {
            return target with { VersionInfo = new VersionInfo(t, t, old.LastConfigChangeAt) };
        }
        return target with { VersionInfo = old };
    }
}
