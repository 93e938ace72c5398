using System.Globalization;
using System.Text.RegularExpressions;
using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>
/// App constraints <c>[field, OPERATOR, value?]</c> (<c>SchedulingValidation.complyWithAppConstraintRules</c>).
/// Deviation: Marathon validates the upper-cased operator and then fails with a 500 on a lower-case one; Harrier
/// rejects a non-upper-case operator here with the operator message.
/// </summary>
internal static partial class ConstraintsValidator
{
    public const string OperatorInvalid = "operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, UNLIKE or IS";
    public const string IsOnlySupportsText = "IS only supports Mesos text and float values (see http://mesos.apache.org/documentation/latest/attributes-resources/)";

    private static readonly string[] Operators = ["UNIQUE", "CLUSTER", "GROUP_BY", "LIKE", "UNLIKE", "MAX_PER", "IS"];

    public static IEnumerable<Violation> Validate(IReadOnlyList<IReadOnlyList<string>> constraints)
    {
        for (var i = 0; i < constraints.Count; i++)
        {
            if (Check(constraints[i]) is { } message)
            {
                yield return new Violation($"/constraints({i})", message);
            }
        }
    }

    private static string? Check(IReadOnlyList<string> c)
    {
        if (c.Count is < 2 or > 3)
        {
            return "Each constraint must have either 2 or 3 fields";
        }
        if (c[0].Length == 0)
        {
            return "missing field for constraint declaration";
        }
        var op = c[1];
        if (!Operators.Contains(op, StringComparer.Ordinal))
        {
            return OperatorInvalid;
        }
        var value = c.Count == 3 ? c[2] : null;
        return op switch
        {
            "UNIQUE" => value is null ? null : "UNIQUE does not accept a value",
            "GROUP_BY" => value is null || IsInt(value) ? null : "GROUP BY must define an integer value or else no value at all",
            "MAX_PER" => value is not null && IsInt(value) ? null : "MAX_PER requires an integer value",
            "LIKE" or "UNLIKE" => value is null ? "LIKE and UNLIKE require a non-empty, regular expression value"
                : IsRegex(value) ? null : "is not a valid regular expression",
            "IS" => MesosLiteralOrFloat().IsMatch(value ?? "") ? null : IsOnlySupportsText,
            _ => null,
        };
    }

    private static bool IsInt(string value) => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    public static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9_/.-]*$")]
    private static partial Regex MesosLiteralOrFloat();
}
