using Harrier.Core.Apps;
using Harrier.Core.Time;

namespace Harrier.Scheduling;

/// <summary>
/// Marathon's version bookkeeping for one app of a root change at time T (spec §9.5, <c>GroupVersioningUtil</c>).
/// <c>version</c> moves on every change, <c>lastScalingAt</c> on scale and config changes, <c>lastConfigChangeAt</c> on
/// changes that restart instances — which is what keys the launch backoff and ignores old instances in constraints.
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
        if (target.IsUpgradeFrom(original))
        {
            return target with { VersionInfo = new VersionInfo(t, t, t) };
        }
        var scaled = target.Instances != original.Instances;
        if (target.VersionInfo.RestartRequested)
        {
            // A restart is a config change without a spec change; a scale in the same request still counts as one.
            return target with { VersionInfo = new VersionInfo(t, scaled ? t : old.LastScalingAt, t) };
        }
        if (scaled)
        {
            return target with { VersionInfo = new VersionInfo(t, t, old.LastConfigChangeAt) };
        }
        return target with { VersionInfo = old };
    }
}
