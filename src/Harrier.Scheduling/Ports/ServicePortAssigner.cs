using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Resources;

namespace Harrier.Scheduling;

/// <summary>
/// Marathon's dynamic service-port assignment (spec §6.1, <c>AssignDynamicServiceLogic</c>). A service port of 0 in an
/// app that is new or changed (<c>isUpgrade</c>) becomes a concrete port: first the ports the same app used before and
/// no longer uses (so a resubmitted app keeps its ports), then the lowest port of the range that no app uses.
/// Non-zero ports are kept as given; they are only unique within the app (validation's concern, not ours).
/// </summary>
public static class ServicePortAssigner
{
    /// <summary>
    /// Assigns the zero service ports of <paramref name="app"/>. <paramref name="others"/> are the apps of the old and new
    /// root (the app itself may be among them); every service port they hold counts as used. To assign several apps of
    /// one change, call this in order and add each result to <paramref name="others"/> of the next call.
    /// </summary>
    public static ServicePortResult Assign(AppSpec app, AppSpec? previous, IEnumerable<AppSpec> others, PortRange range)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(others);
        HashSet<int>? held = null;
        return Assign(app, previous, port =>
        {
            if (held is null)
            {
                held = [];
                foreach (var other in others)
                {
                    held.UnionWith(other.ServicePorts);
                }
            }
            return held.Contains(port);
        }, range);
    }

    /// <summary>
    /// As above, with the ports other apps hold given as a predicate, so a change of many apps can keep one running
    /// count instead of handing every call every other app (which made a 1,000-app group change quadratic).
    /// </summary>
    public static ServicePortResult Assign(AppSpec app, AppSpec? previous, Func<int, bool> heldByOthers, PortRange range)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(heldByOthers);
        var current = app.ServicePorts;
        if (!current.Contains(0) || (previous is not null && !app.IsUpgradeFrom(previous)))
        {
            return new ServicePortResult(app, null);
        }

        var taken = new HashSet<int>(current);
        var reusable = new Queue<int>();
        if (previous is not null)
        {
            taken.UnionWith(previous.ServicePorts);
            foreach (var port in previous.ServicePorts.Distinct())
            {
                if (range.Contains(port) && !current.Contains(port))
                {
                    reusable.Enqueue(port);
                }
            }
        }

        var next = range.Begin;
        var assigned = new int[current.Count];
        for (var i = 0; i < current.Count; i++)
        {
            if (current[i] != 0)
            {
                assigned[i] = current[i];
                continue;
            }
            if (reusable.TryDequeue(out var reused))
            {
                assigned[i] = reused;
                continue;
            }
            while (next <= range.End && (taken.Contains(next) || heldByOthers(next)))
            {
                next++;
            }
            if (next > range.End)
            {
                return new ServicePortResult(null, $"All ports in the range [{range.Begin}-{range.End}) are already in use");
            }
            assigned[i] = next;
            taken.Add(next);
        }
        return new ServicePortResult(WithServicePorts(app, assigned), null);
    }

    /// <summary>
    /// Assigns the service ports of every app of a root change, in id order, as Marathon does for one root update. Apps
    /// that need nothing are returned as given. Returns the first error when the range runs out.
    /// </summary>
    public static (IReadOnlyDictionary<PathId, AppSpec>? Apps, string? Error) AssignAll(
        IReadOnlyDictionary<PathId, AppSpec> original, IReadOnlyDictionary<PathId, AppSpec> target, PortRange range)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(target);
        var result = new Dictionary<PathId, AppSpec>(target);
        // Every port held in the old root or the new one counts as used; assigned ones are added as they are made.
        var others = original.Values.Concat(target.Values).ToList();
        foreach (var id in target.Keys.Order())
        {
            var app = target[id];
            var assigned = Assign(app, original.GetValueOrDefault(id), others, range);
            if (assigned.Error is not null)
            {
                return (null, assigned.Error);
            }
            if (!ReferenceEquals(assigned.App, app))
            {
                result[id] = assigned.App!;
                others.Add(assigned.App!);
            }
        }
        return (result, null);
    }

    private static AppSpec WithServicePorts(AppSpec app, int[] ports)
    {
        if (app.IsHostNetworking)
        {
            return app with { PortDefinitions = new ValueList<PortDefinition>(app.PortDefinitions.Select((p, i) => p with { Port = ports[i] })) };
        }
        var container = app.Container!;
        return app with
        {
            Container = container with
            {
                PortMappings = new ValueList<PortMapping>(container.PortMappings.Select((m, i) => m with { ServicePort = ports[i] })),
            },
        };
    }
}
