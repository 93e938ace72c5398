using System.Diagnostics;

namespace Harrier.Bench.Lb;

/// <summary>Bounded polling.</summary>
internal static class Until
{
    /// <summary>Polls <paramref name="probe"/> every 2 ms until it returns a value; throws after <paramref name="timeout"/>.</summary>
    public static async Task<T> ValueAsync<T>(Func<T?> probe, TimeSpan timeout, string what)
        where T : struct
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(2);
        }
    }

    public static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds * (to >= from ? 1 : -1);
}
