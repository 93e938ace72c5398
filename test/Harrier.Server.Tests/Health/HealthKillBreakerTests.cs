using Harrier.Core.Time;
using Harrier.Server.Health;
using Xunit;

namespace Harrier.Server.Tests.Health;

public sealed class HealthKillBreakerTests
{
    private static readonly HealthBreakerOptions Options = new() { MinApps = 3, FailingShare = 0.5, InitialKillsPerSecond = 1, RampInterval = TimeSpan.FromSeconds(10), RecoveryPeriod = TimeSpan.FromSeconds(30) };
    private static readonly Timestamp T0 = Timestamp.From(DateTimeOffset.Parse("2026-11-22T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static Timestamp At(double seconds) => T0.Plus(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData(10, 20, 3, HealthBreakerMode.Open)]      // half failing across three apps: the observer is suspect
    [InlineData(9, 20, 3, HealthBreakerMode.Closed)]     // under half
    [InlineData(20, 20, 2, HealthBreakerMode.Closed)]    // all failing but only two apps: those apps are broken
    [InlineData(0, 0, 0, HealthBreakerMode.Closed)]
    public void Evaluate_FromClosed_OpensOnlyForAWideWave(int failing, int checkedCount, int apps, HealthBreakerMode expected) =>
        Assert.Equal(expected, HealthKillBreaker.Evaluate(HealthBreakerState.Initial, Options, failing, checkedCount, apps, T0).Mode);

    [Fact]
    public void TryKill_Open_RefusesAndCountsTheDeferral()
    {
        var open = HealthKillBreaker.Evaluate(HealthBreakerState.Initial, Options, 10, 10, 5, T0);
        var (allowed, after) = HealthKillBreaker.TryKill(open, Options, At(1));
        Assert.False(allowed);
        Assert.Equal(1, after.DeferredKills);
    }

    [Fact]
    public void Recovering_AllowsKillsAtARateThatDoubles_ThenCloses()
    {
        var open = HealthKillBreaker.Evaluate(HealthBreakerState.Initial, Options, 10, 10, 5, T0);
        var state = HealthKillBreaker.Evaluate(open, Options, 1, 10, 1, At(5));
        Assert.Equal(HealthBreakerMode.Recovering, state.Mode);

        var allowedFirstSecond = 0;
        for (var k = 0; k < 5; k++)
        {
            (var ok, state) = HealthKillBreaker.TryKill(state, Options, At(5.1));
            allowedFirstSecond += ok ? 1 : 0;
        }
        Assert.Equal(1, allowedFirstSecond);
        Assert.Equal(1, HealthKillBreaker.Rate(state, Options, At(6)));
        Assert.Equal(2, HealthKillBreaker.Rate(state, Options, At(15)));
        Assert.Equal(4, HealthKillBreaker.Rate(state, Options, At(25)));

        Assert.Equal(HealthBreakerMode.Recovering, HealthKillBreaker.Evaluate(state, Options, 1, 10, 1, At(34)).Mode);
        Assert.Equal(HealthBreakerMode.Closed, HealthKillBreaker.Evaluate(state, Options, 1, 10, 1, At(35)).Mode);
    }

    [Fact]
    public void Recovering_WaveReturns_OpensAgain()
    {
        var open = HealthKillBreaker.Evaluate(HealthBreakerState.Initial, Options, 10, 10, 5, T0);
        var recovering = HealthKillBreaker.Evaluate(open, Options, 0, 10, 0, At(5));
        Assert.Equal(HealthBreakerMode.Open, HealthKillBreaker.Evaluate(recovering, Options, 8, 10, 4, At(6)).Mode);
    }

    [Fact]
    public void Evaluate_Disabled_StaysClosed() =>
        Assert.Equal(HealthBreakerMode.Closed, HealthKillBreaker.Evaluate(HealthBreakerState.Initial, new HealthBreakerOptions { Enabled = false }, 10, 10, 5, T0).Mode);
}
