using Harrier.Core.Instances;

namespace Harrier.Scheduling;

/// <summary>
/// Marathon's rolling replacement (spec §9.4, <c>TaskReplaceActor</c>) as one stateless decision, recomputed from the
/// instances that exist on every control pass. Marathon's actor remembers what it killed and counts "new instance
/// became healthy → kill the next old one"; here the same arithmetic falls out of counts alone, so a restarted server
/// resumes where the last one stopped:
/// <list type="bullet">
/// <item>old instances not considered healthy may always be killed (they hold no health capacity);</item>
/// <item>considered-healthy old instances may be killed while <c>healthyOld + newHealthyAndReady − minHealthy</c> is
/// positive — Marathon's initial <c>killNow</c> plus one per new instance that became healthy and ready;</item>
/// <item>old instances beyond N are killed;</item>
/// <item>new instances are launched while <c>old occupying + new</c> stays within <c>maxCapacity</c>.</item>
/// </list>
/// Instances whose goal is no longer Running but that are still active keep occupying capacity until terminal.
/// </summary>
public static class RollingRestart
{
    public static RollingRestartDecision Next(RollingRestartInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Instances);
        ArgumentNullException.ThrowIfNull(input.Strategy);
        var n = Math.Max(0, input.TargetInstances);
        var old = input.Instances.Where(i => i.RunSpecVersion < input.ConfigVersion).ToList();
        var fresh = input.Instances.Where(i => i.RunSpecVersion >= input.ConfigVersion).ToList();

        if (n == 0)
        {
            // Nothing to replace: stop everything (old and new), done when nothing is left running or active.
            var all = KillOrder(input.Instances.Where(i => i.Goal == Goal.Running), input.HasHealthChecks).Select(i => i.Id).ToArray();
            var done = input.Instances.All(i => i.Goal != Goal.Running && !i.Condition.IsActive());
            return new RollingRestartDecision(all, 0, done, 0, 0);
        }

        var oldAlive = KillOrder(old.Where(i => i.Goal == Goal.Running), input.HasHealthChecks);
        var healthyOld = oldAlive.Count(i => IsConsideredHealthy(i, input.HasHealthChecks));
        var unhealthyOld = oldAlive.Count - healthyOld;
        var newWanted = fresh.Where(i => i.Goal == Goal.Running).ToList();
        var newHealthy = newWanted.Count(i => IsConsideredHealthy(i, input.HasHealthChecks));
        var newHealthyReady = newWanted.Count(i => IsConsideredHealthy(i, input.HasHealthChecks) && IsReady(i, input));

        var minHealthy = (int)Math.Ceiling(n * input.Strategy.MinimumHealthCapacity);
        var maxCapacity = (int)(n * (1 + input.Strategy.MaximumOverCapacity));
        var consideredHealthy = healthyOld + newHealthy;
        var extraKill = 0;
        if (minHealthy == maxCapacity && maxCapacity <= consideredHealthy)
        {
            // Without one instance of slack the restart could never move: resident apps (which cannot over-provision)
            // give up one healthy instance, the others get one instance of over-capacity.
            if (input.Resident)
            {
                extraKill = 1;
            }
            else
            {
                maxCapacity += 1;
            }
        }

        var healthyKills = Math.Max(0, healthyOld + newHealthyReady - minHealthy + extraKill);
        var killCount = Math.Min(oldAlive.Count, Math.Max(unhealthyOld + healthyKills, oldAlive.Count - n));
        var kill = oldAlive.Take(killCount).Select(i => i.Id).ToArray();

        // Occupying: everything placed and not yet terminal, whatever its goal; new instances with goal Running count
        // even while failed or not yet placed, because the launch queue brings them back.
        var oldOccupying = old.Count(i => i.Condition.IsActive());
        var newOccupying = fresh.Count(i => i.Goal == Goal.Running || i.Condition.IsActive());
        var launch = Math.Max(0, Math.Min(n - newWanted.Count, maxCapacity - oldOccupying - newOccupying));

        var finished = newHealthyReady >= n && old.All(i => i.Goal != Goal.Running && !i.Condition.IsActive());
        return new RollingRestartDecision(kill, launch, finished, minHealthy, maxCapacity);
    }

    /// <summary>
    /// "Considered healthy" (spec §9.4): goal Running, condition Running, and healthy when the app has health checks.
    /// </summary>
    public static bool IsConsideredHealthy(Instance instance, bool hasHealthChecks)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return instance.Goal == Goal.Running && instance.Condition == Condition.Running
            && (!hasHealthChecks || instance.Healthy == true);
    }

    private static bool IsReady(Instance instance, RollingRestartInput input) =>
        !input.HasReadinessChecks || (input.ReadyInstances?.Contains(instance.Id) ?? false);

    /// <summary>Not considered healthy first, then oldest version, then longest running, then by id (deterministic).</summary>
    private static List<Instance> KillOrder(IEnumerable<Instance> instances, bool hasHealthChecks) =>
    [
        .. instances
            .OrderBy(i => IsConsideredHealthy(i, hasHealthChecks) ? 1 : 0)
            .ThenBy(i => i.RunSpecVersion)
            .ThenBy(i => i.ActiveSince ?? i.Since)
            .ThenBy(i => i.Id.Value, StringComparer.Ordinal),
    ];
}
