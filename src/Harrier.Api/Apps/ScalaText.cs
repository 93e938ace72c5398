using System.Globalization;

namespace Harrier.Api.Apps;

/// <summary>Formats numbers in validation messages as Scala's <c>toString</c> does (<c>1.0</c>, <c>0.5</c>, <c>-3</c>).</summary>
internal static class ScalaText
{
    public static string Double(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "Infinity";
        }
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}
