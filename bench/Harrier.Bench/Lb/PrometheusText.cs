using System.Globalization;

namespace Harrier.Bench.Lb;

/// <summary>Reads series out of a Prometheus text exposition.</summary>
internal static class PrometheusText
{
    /// <summary>The value of the series named exactly <paramref name="series"/> (with its labels, if any), or NaN.</summary>
    public static double Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal)
                && double.TryParse(line[(series.Length + 1)..].Trim().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                return v;
            }
        }
        return double.NaN;
    }

    /// <summary>A histogram's cumulative buckets (<c>le</c>, count), in order, from its <c>_bucket</c> series.</summary>
    public static IReadOnlyList<(double Le, double Count)> Buckets(string text, string histogram)
    {
        var prefix = histogram + "_bucket{";
        var buckets = new List<(double, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var le = line.IndexOf("le=\"", StringComparison.Ordinal);
            var close = le < 0 ? -1 : line.IndexOf('"', le + 4);
            var brace = line.LastIndexOf('}');
            if (close < 0 || brace < 0)
            {
                continue;
            }
            var bound = line[(le + 4)..close];
            var upper = bound == "+Inf" ? double.PositiveInfinity : double.Parse(bound, CultureInfo.InvariantCulture);
            if (double.TryParse(line[(brace + 1)..].Trim().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                buckets.Add((upper, count));
            }
        }
        return [.. buckets.OrderBy(b => b.Item1)];
    }

    /// <summary>The upper bound of the bucket holding quantile <paramref name="q"/> (0..1), or NaN without observations.</summary>
    public static double BucketQuantile(IReadOnlyList<(double Le, double Count)> buckets, double q)
    {
        if (buckets.Count == 0 || buckets[^1].Count == 0)
        {
            return double.NaN;
        }
        var target = q * buckets[^1].Count;
        return buckets.First(b => b.Count >= target).Le;
    }
}
