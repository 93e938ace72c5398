using System.Globalization;

namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// marathon-lb's blue/green merge: apps sharing <c>HAPROXY_DEPLOYMENT_GROUP</c> are renamed to <c>/&lt;group&gt;</c> and
/// merged into one app (the older colour's definition, both colours' tasks). The older colour is the one with the
/// earlier <c>HAPROXY_DEPLOYMENT_STARTED_AT</c> (none = oldest); as many of its tasks as new ones turned healthy,
/// bounded by <c>healthy new + old instances − target</c>, are marked draining (rendered <c>disabled</c>), lowest task
/// ids first. Quirks kept for identical output: the target is <c>HAPROXY_DEPLOYMENT_TARGET_INSTANCES</c> only when the
/// newer app has <c>HAPROXY_DEPLOYMENT_NEW_INSTANCES</c> (else 1); "healthy new" counts health results only when the
/// app processed second has health checks. One deliberate difference: the colours swap when the "old" one was scaled
/// more recently only in a hybrid deploy (a non-zero <c>HAPROXY_DEPLOYMENT_NEW_INSTANCES</c>); marathon-lb swapped
/// whenever the label was there, which disabled the new colour's servers after zdd's scale=true kills.
/// </summary>
internal static class DeploymentGroups
{
    public const string GroupLabel = "HAPROXY_DEPLOYMENT_GROUP";
    private const string StartedAtLabel = "HAPROXY_DEPLOYMENT_STARTED_AT";
    private const string NewInstancesLabel = "HAPROXY_DEPLOYMENT_NEW_INSTANCES";
    private const string TargetLabel = "HAPROXY_DEPLOYMENT_TARGET_INSTANCES";

    /// <summary>The apps outside deployment groups in order, then one merged app per group in order of appearance.</summary>
    public static List<MarathonApp> Merge(IReadOnlyList<MarathonApp> apps, List<string> warnings)
    {
        var processed = new List<MarathonApp>();
        var groupOrder = new List<string>();
        var groups = new Dictionary<string, MarathonApp>(StringComparer.Ordinal);
        foreach (var app in apps)
        {
            if (!app.Labels.TryGetValue(GroupLabel, out var group))
            {
                processed.Add(app);
                continue;
            }
            var id = group.StartsWith('/') ? group : "/" + group;
            if (group.Length == 0 || !LabelValues.IsAppId(id))
            {
                warnings.Add($"app {LabelValues.Quote(app.Id)} dropped: label {GroupLabel} {LabelValues.Quote(group)} is not an app id");
                continue;
            }
            var renamed = app with { Id = id };
            if (groups.TryGetValue(id, out var previous))
            {
                groups[id] = Combine(previous, renamed, warnings);
            }
            else
            {
                groups[id] = renamed;
                groupOrder.Add(id);
            }
        }
        processed.AddRange(groupOrder.Select(g => groups[g]));
        return processed;
    }

    private static MarathonApp Combine(MarathonApp previous, MarathonApp current, List<string> warnings)
    {
        var (old, @new) = StartedAt(previous, warnings) < StartedAt(current, warnings) ? (previous, current) : (current, previous);
        var target = 1;
        if (@new.Labels.ContainsKey(NewInstancesLabel))
        {
            // marathon-lb swapped whenever the label existed (its `!= 0` compared a string with an int), so the kill
            // of old tasks with scale=true (which makes the old colour the last scaled) disabled the NEW colour's
            // servers until zdd scaled it again. The swap is meant for hybrid deploys: only a non-zero count swaps.
            var hybrid = LabelValues.TryInt(@new.Labels[NewInstancesLabel], out var newInstances) && newInstances != 0;
            if (hybrid && old.LastScalingAt is { } oldScaled && @new.LastScalingAt is { } newScaled && oldScaled > newScaled)
            {
                (old, @new) = (@new, old);
            }
            if (!@new.Labels.TryGetValue(TargetLabel, out var raw) || !LabelValues.TryInt(raw, out target))
            {
                warnings.Add($"deployment group {LabelValues.Quote(@new.Id)}: no usable {TargetLabel}; 1 assumed");
                target = 1;
            }
        }
        var oldTasks = old.Tasks.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        var healthyNew = current.HealthChecks.Count > 0
            ? @new.Tasks.Count(t => t.HealthResults is { } results && results.Contains(true))
            : @new.Instances;
        var drainable = Math.Max(0, healthyNew + old.Instances - target);
        var draining = Math.Min(oldTasks.Count, Math.Min(healthyNew, drainable));
        for (var i = 0; i < draining; i++)
        {
            oldTasks[i] = oldTasks[i] with { Draining = true };
        }
        return old with { Tasks = [.. oldTasks, .. @new.Tasks] };
    }

    private static DateTimeOffset StartedAt(MarathonApp app, List<string> warnings)
    {
        if (!app.Labels.TryGetValue(StartedAtLabel, out var raw))
        {
            return DateTimeOffset.MinValue;
        }
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }
        warnings.Add($"app {LabelValues.Quote(app.Id)}: {StartedAtLabel} {LabelValues.Quote(raw)} is not a date; taken as the oldest");
        return DateTimeOffset.MinValue;
    }
}
