using System.Globalization;
using Harrier.Core.Resources;

namespace Harrier.Scheduling;

/// <summary>
/// Reads a constraint field from an agent (spec §7): <c>hostname</c>/<c>@hostname</c>, <c>@region</c>, <c>@zone</c>, or
/// an attribute. Scalar attributes compare in Mesos's <c>0.###</c> form, so "2.50" and "2.5" are the same value.
/// </summary>
internal static class ConstraintField
{
    public static bool IsHostname(string field) => field is "hostname" or "@hostname";

    public static string? ValueOf(AgentInfo agent, string field) => field switch
    {
        "hostname" or "@hostname" => agent.Hostname,
        "@region" => agent.Region,
        "@zone" => agent.Zone,
        _ => agent.Attributes.TryGetValue(field, out var v) ? NormalizeScalar(v) : null,
    };

    /// <summary>Formats a scalar-looking value as Mesos does (<c>0.###</c>, half-even); anything else is returned as is.</summary>
    public static string NormalizeScalar(string value)
    {
        if (value.Length > 0 && (char.IsAsciiDigit(value[0]) || value[0] is '-' or '.')
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return Math.Round(d, 3, MidpointRounding.ToEven).ToString("0.###", CultureInfo.InvariantCulture);
        }
        return value;
    }
}
