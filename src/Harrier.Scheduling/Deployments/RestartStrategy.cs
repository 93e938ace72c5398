using Harrier.Core.Apps;
using Harrier.Core.Instances;

namespace Harrier.Scheduling;

/// <summary>
/// Marathon's rolling-restart arithmetic (spec §9.4, <c>TaskReplaceActor.computeRestartStrategy</c>). The doubles are
/// multiplied exactly as Marathon does (so N=25, minHC=0.28 gives ceil(7.000000000000001) = 8, as on the JVM).
/// </summary>
public static class RestartStrategy
{
    /// <param name="targetInstances">N, the target instance count.</param>
    /// <param name="consideredHealthy">H: current instances (old and new) with goal Running that count as healthy.</param>
    /// <param name="currentInstances">All current instances of the app (old and new).</param>
    /// <param name="resident">True for apps with persistent volumes (they cannot over-provision).</param>
    public static RestartPlan Compute(int targetInstances, UpgradeStrategy strategy, int consideredHealthy, int currentInstances, bool resident)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var minHealthy = (int)Math.Ceiling(targetInstances * strategy.MinimumHealthCapacity);
        var maxCapacity = (int)(targetInstances * (1 + strategy.MaximumOverCapacity));
        var killNow = Math.Max(0, consideredHealthy - minHealthy);
        if (minHealthy == maxCapacity && maxCapacity <= consideredHealthy)
        {
            if (resident)
            {
                killNow = consideredHealthy - minHealthy + 1;
            }
            else
            {
                // Without one instance of over-capacity the restart could never make progress.
                maxCapacity += 1;
            }
        }
        if (targetInstances < currentInstances)
        {
            killNow = Math.Max(currentInstances - targetInstances, killNow);
        }
        return new RestartPlan(minHealthy, maxCapacity, killNow);
    }

    /// <summary>
    /// The order in which old instances are killed during a rolling restart: not considered healthy first (unhealthy or
    /// unknown health when the app has checks), otherwise in the given order.
    /// </summary>
    public static IReadOnlyList<Instance> KillOrder(IEnumerable<Instance> oldInstances, bool appHasChecks)
    {
        ArgumentNullException.ThrowIfNull(oldInstances);
        return [.. oldInstances.OrderBy(i => IsConsideredHealthy(i, appHasChecks) ? 1 : 0)];
    }

    /// <summary>
    /// Marathon's "considered healthy" (spec §9.4): healthy, or the app has no health, readiness or Mesos checks at all.
    /// The caller counts only instances whose goal is Running.
    /// </summary>
    public static bool IsConsideredHealthy(Instance instance, bool appHasChecks)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return !appHasChecks || instance.Healthy == true;
    }

    /// <summary>How many new instances to launch now: <c>min(N − started, max(0, maxCapacity − oldActive − started))</c>.</summary>
    public static int LaunchCount(int targetInstances, int maxCapacity, int oldActive, int newStarted) =>
        Math.Max(0, Math.Min(targetInstances - newStarted, Math.Max(0, maxCapacity - oldActive - newStarted)));
}
