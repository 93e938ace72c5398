using Harrier.Core.Apps;
using Harrier.Core.Health;
using Harrier.Core.Time;
using Xunit;

namespace Harrier.Core.Tests;

public sealed class HealthKillRuleTests
{
    [Theory]
    [InlineData(HealthCheckProtocol.Http, 3, 3, false)]
    [InlineData(HealthCheckProtocol.Http, 3, 4, true)]     // Marathon-run: the (max+1)-th failure
    [InlineData(HealthCheckProtocol.Tcp, 0, 100, false)]   // 0 = never
    [InlineData(HealthCheckProtocol.Https, 1, 2, true)]
    [InlineData(HealthCheckProtocol.Command, 3, 2, false)]
    [InlineData(HealthCheckProtocol.Command, 3, 3, true)]  // Mesos-run: the max-th failure
    [InlineData(HealthCheckProtocol.MesosHttp, 2, 2, true)]
    [InlineData(HealthCheckProtocol.MesosTcp, 2, 1, false)]
    public void ShouldKill_ByProtocolAndCount(HealthCheckProtocol protocol, int max, int failures, bool kill) =>
        Assert.Equal(kill, HealthKillRule.ShouldKill(new HealthCheckSpec { Protocol = protocol, MaxConsecutiveFailures = max }, failures));

    [Fact]
    public void Alive_NeedsASuccessAfterTheLastFailure()
    {
        var t = Timestamp.Zero;
        Assert.False(new HealthCheckResult { CheckIndex = 0 }.Alive);
        Assert.True(new HealthCheckResult { CheckIndex = 0, LastSuccess = t }.Alive);
        Assert.False(new HealthCheckResult { CheckIndex = 0, LastSuccess = t, LastFailure = t.Plus(TimeSpan.FromSeconds(1)) }.Alive);
        Assert.True(new HealthCheckResult { CheckIndex = 0, LastSuccess = t.Plus(TimeSpan.FromSeconds(2)), LastFailure = t.Plus(TimeSpan.FromSeconds(1)) }.Alive);
    }
}
