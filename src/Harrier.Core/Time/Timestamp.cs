using System.Globalization;

namespace Harrier.Core.Time;

/// <summary>
/// A point in time at millisecond precision, written as Marathon writes versions:
/// <c>yyyy-MM-dd'T'HH:mm:ss.SSS'Z'</c>.
/// </summary>
public readonly record struct Timestamp(long UnixMilliseconds) : IComparable<Timestamp>
{
    public static Timestamp Zero => new(0);

    public static Timestamp From(DateTimeOffset time) => new(time.ToUnixTimeMilliseconds());

    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeMilliseconds(UnixMilliseconds);

    public Timestamp Plus(TimeSpan span) => new(UnixMilliseconds + (long)span.TotalMilliseconds);

    public static bool TryParse(string text, out Timestamp timestamp)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
        {
            timestamp = From(dto);
            return true;
        }
        timestamp = Zero;
        return false;
    }

    public int CompareTo(Timestamp other) => UnixMilliseconds.CompareTo(other.UnixMilliseconds);

    public static bool operator <(Timestamp a, Timestamp b) => a.UnixMilliseconds < b.UnixMilliseconds;

    public static bool operator >(Timestamp a, Timestamp b) => a.UnixMilliseconds > b.UnixMilliseconds;

    public static bool operator <=(Timestamp a, Timestamp b) => a.UnixMilliseconds <= b.UnixMilliseconds;

    public static bool operator >=(Timestamp a, Timestamp b) => a.UnixMilliseconds >= b.UnixMilliseconds;

    public override string ToString() =>
        ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
