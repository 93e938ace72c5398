using System.Globalization;

namespace Harrier.Scheduling;

/// <summary>Formats a double as Java's <c>Double.toString</c> does (<c>1.0</c>, <c>0.1</c>, <c>1.0E7</c>), as Marathon's env vars show them.</summary>
internal static class JavaDouble
{
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }
        var abs = Math.Abs(value);
        if (abs >= 1e-3 && abs < 1e7)
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
        }
        // Computerized scientific notation: one digit before the point, at least one after, "E" and the exponent.
        var exponent = (int)Math.Floor(Math.Log10(abs));
        var mantissa = value / Math.Pow(10, exponent);
        if (Math.Abs(mantissa) >= 10)
        {
            mantissa /= 10;
            exponent++;
        }
        var m = Math.Round(mantissa, 15).ToString("R", CultureInfo.InvariantCulture);
        if (!m.Contains('.', StringComparison.Ordinal))
        {
            m += ".0";
        }
        return $"{m}E{exponent.ToString(CultureInfo.InvariantCulture)}";
    }
}
