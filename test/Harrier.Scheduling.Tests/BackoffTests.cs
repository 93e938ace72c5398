using Harrier.Core.Apps;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class BackoffTests
{
    private static readonly AppSpec AppWithBackoff = App() with { BackoffSeconds = 10, BackoffFactor = 2, MaxLaunchDelaySeconds = 35 };

    [Fact]
    public void Grow_FirstFailure_UsesBackoffSeconds()
    {
        var d = Backoff.Grow(null, AppWithBackoff, At(100));

        Assert.Equal(TimeSpan.FromSeconds(10), d.Delay);
        Assert.Equal(At(110), d.Deadline);
        Assert.Equal(At(100), d.ReferenceTime);
        Assert.Equal(AppWithBackoff.VersionInfo.LastConfigChangeAt, d.ConfigVersion);
    }

    [Fact]
    public void Grow_RepeatedFailures_MultiplyUpToTheCap()
    {
        LaunchDelay? d = null;
        var delays = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            d = Backoff.Grow(d, AppWithBackoff, At(i));
            delays.Add(d.Delay.TotalSeconds);
        }

        Assert.Equal([10, 20, 35, 35], delays);
    }

    [Fact]
    public void Grow_BackoffAboveMax_StartsAtMax()
    {
        var d = Backoff.Grow(null, AppWithBackoff with { BackoffSeconds = 100 }, At(0));

        Assert.Equal(TimeSpan.FromSeconds(35), d.Delay);
    }

    [Fact]
    public void Grow_AfterConfigChange_StartsFromZero()
    {
        var d = Backoff.Grow(Backoff.Grow(null, AppWithBackoff, At(0)), AppWithBackoff, At(1));
        var changed = AppWithBackoff with { VersionInfo = AppWithBackoff.VersionInfo with { LastConfigChangeAt = At(50) } };

        var next = Backoff.Grow(d, changed, At(60));

        Assert.Equal(TimeSpan.FromSeconds(10), next.Delay);
    }

    [Fact]
    public void IsOverdue_BeforeAndAfterDeadline()
    {
        var d = Backoff.Grow(null, AppWithBackoff, At(0));

        Assert.True(Backoff.IsOverdue(null, At(0)));
        Assert.False(Backoff.IsOverdue(d, At(9)));
        Assert.True(Backoff.IsOverdue(d, At(10)));
    }

    [Fact]
    public void Advance_MovesReferenceAndDeadline_KeepsDelay()
    {
        var d = Backoff.Grow(null, AppWithBackoff, At(0));

        var advanced = Backoff.Advance(d, At(5))!;

        Assert.Equal((TimeSpan.FromSeconds(10), At(5), At(15)), (advanced.Delay, advanced.ReferenceTime, advanced.Deadline));
    }

    [Fact]
    public void IsExpired_AfterReferencePlusMaxLaunchDelay()
    {
        var d = Backoff.Grow(null, AppWithBackoff, At(0));

        Assert.False(Backoff.IsExpired(d, AppWithBackoff, At(35)));
        Assert.True(Backoff.IsExpired(d, AppWithBackoff, At(36)));
    }
}
