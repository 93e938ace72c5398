namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// How far the new colour grows per step and when the swap is done (zdd.py's scale_new_app_instances,
/// is_hybrid_deployment, ready_to_delete_old_app), as plain arithmetic.
/// </summary>
internal static class ZddScaling
{
    /// <summary>A hybrid deploy keeps both colours (<c>HAPROXY_DEPLOYMENT_NEW_INSTANCES</c> ≠ 0) unless completing.</summary>
    public static bool IsHybrid(int newInstancesLabel, bool completeCur, bool completePrev) =>
        newInstancesLabel != 0 && !completeCur && !completePrev;

    /// <summary>
    /// The new colour's next instance count: <c>floor(n + (n+1)/2)</c>, or <c>n + linearIncrease</c>; hybrid caps at
    /// the new-instances label; linear caps at the target; otherwise once it reaches the old colour's instances it
    /// jumps to the target.
    /// </summary>
    public static int NextInstances(int current, int oldInstances, int target, int newInstancesLabel, bool hybrid, int linearIncrease)
    {
        var linear = linearIncrease > 0;
        var next = linear ? current + linearIncrease : (int)Math.Floor(current + (current + 1) / 2.0);
        if (hybrid)
        {
            return Math.Min(next, newInstancesLabel);
        }
        if (linear)
        {
            return Math.Min(next, target);
        }
        return next >= oldInstances ? target : next;
    }

    /// <summary>
    /// Done: hybrid — the new colour at its share and the old at the rest; otherwise the new colour at the target and
    /// every remaining old task drained.
    /// </summary>
    public static bool ReadyToDeleteOld(bool hybrid, int newInstances, int newTarget, int newInstancesLabel, int oldInstances, int oldTarget, int drainedOldTasks) =>
        hybrid
            ? newInstances == newInstancesLabel && oldInstances == oldTarget - newInstancesLabel
            : newInstances == newTarget && drainedOldTasks == oldInstances;
}
