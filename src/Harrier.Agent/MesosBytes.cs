using System.Globalization;

namespace Harrier.Agent;

/// <summary>Mesos' <c>Bytes</c> flag syntax: a number with B, KB, MB, GB or TB (powers of 1024, as stout's Bytes), e.g.
/// <c>10MB</c>; a bare number is bytes.</summary>
public static class MesosBytes
{
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToUpperInvariant();
        var units = new (string Suffix, long Factor)[] { ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1) };
        var (number, factor) = (t, 1L);
        foreach (var (suffix, f) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                (number, factor) = (t[..^suffix.Length].Trim(), f);
                break;
            }
        }
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0 || value * factor > long.MaxValue)
        {
            throw new FormatException($"'{text}' is not a size like 10MB (B, KB, MB, GB, TB)");
        }
        return (long)(value * factor);
    }
}
