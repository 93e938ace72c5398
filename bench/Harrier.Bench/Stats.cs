namespace Harrier.Bench;

internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Summary(IReadOnlyList<double> ms) =>
        $"p50 {Percentile(ms, 50):0.0} ms, p90 {Percentile(ms, 90):0.0} ms, p99 {Percentile(ms, 99):0.0} ms, max {ms.Max():0.0} ms (n={ms.Count})";

    /// <summary>The 1-minute load average, printed before a step (other work on the machine skews these figures).</summary>
    public static string LoadAverage() => "load " + File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
