using Harrier.Core.Collections;

namespace Harrier.Server.Balancers;

/// <summary>
/// marathon-lb's group rule, for deciding which balancers front an app: the app's <c>HAPROXY_GROUP</c> and every
/// <c>HAPROXY_&lt;n&gt;_GROUP</c> (comma lists, trimmed) against the balancer's groups; a balancer with <c>*</c>
/// fronts every app, grouped or not. Per-port groups are taken together (a superset of what marathon-lb exposes
/// when a port's list replaces the app's), so a kill is held for a balancer that might front the task, never missed.
/// </summary>
internal static class BalancerGroups
{
    public const string Everything = "*";

    public static bool Fronts(ValueMap<string> labels, IReadOnlyList<string> balancerGroups)
    {
        if (balancerGroups.Contains(Everything))
        {
            return true;
        }
        foreach (var (key, value) in labels)
        {
            if (IsGroupLabel(key) && value.Split(',').Any(g => balancerGroups.Contains(g.Trim())))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><c>HAPROXY_GROUP</c> or <c>HAPROXY_&lt;digits&gt;_GROUP</c>.</summary>
    private static bool IsGroupLabel(string key)
    {
        if (key == "HAPROXY_GROUP")
        {
            return true;
        }
        if (!key.StartsWith("HAPROXY_", StringComparison.Ordinal) || !key.EndsWith("_GROUP", StringComparison.Ordinal))
        {
            return false;
        }
        var index = key.AsSpan("HAPROXY_".Length, key.Length - "HAPROXY_".Length - "_GROUP".Length);
        return !index.IsEmpty && index.Length <= 9 && index.ToString().All(char.IsAsciiDigit);
    }
}
