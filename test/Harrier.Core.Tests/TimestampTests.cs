using Harrier.Core.Time;
using Xunit;

namespace Harrier.Core.Tests;

public sealed class TimestampTests
{
    [Fact]
    public void ToString_IsMarathonVersionFormat_ThreeFractionDigitsUtc()
    {
        var t = Timestamp.From(new DateTimeOffset(2026, 11, 22, 4, 5, 6, 7, TimeSpan.FromHours(2)));
        Assert.Equal("2026-11-22T02:05:06.007Z", t.ToString());
    }

    [Fact]
    public void TryParse_RoundTripsAndRejectsGarbage()
    {
        Assert.True(Timestamp.TryParse("2021-07-01T10:20:30.456Z", out var t));
        Assert.Equal("2021-07-01T10:20:30.456Z", t.ToString());
        Assert.False(Timestamp.TryParse("yesterday-ish", out _));
        Assert.True(Timestamp.From(DateTimeOffset.UnixEpoch) < t);
    }
}
