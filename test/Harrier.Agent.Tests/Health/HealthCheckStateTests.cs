using Harrier.Agent.Health;
using Harrier.Core.Apps;
using Harrier.Core.Time;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests.Health;

public sealed class HealthCheckStateTests
{
    private static readonly Timestamp Running = new(1_000_000);

    private static Timestamp At(double seconds) => new(Running.UnixMilliseconds + (long)(seconds * 1000));

    private static HealthCheckState State(HealthCheckProtocol protocol, int max, int grace = 0) =>
        new(0, new HealthCheckSpec { Protocol = protocol, MaxConsecutiveFailures = max, GracePeriodSeconds = grace }, 8080);

    /// <summary>Applies failures one by one and returns, per reported failure, whether the report asks for a kill.</summary>
    private static List<bool> KillFlagsOverFailures(HealthCheckState state, int failures)
    {
        var flags = new List<bool>();
        for (var i = 1; i <= failures; i++)
        {
            state.Apply(ProbeOutcome.Unhealthy("503 Service Unavailable"), At(i), Running).ShouldBeTrue();
            flags.Add(state.KillRequested);
        }
        return flags;
    }

    [Fact]
    public void Apply_MarathonRunMaxTwo_RequestsKillOnTheThirdCountedFailure()
    {
        KillFlagsOverFailures(State(HealthCheckProtocol.Http, 2), 4).ShouldBe([false, false, true, true]);
    }

    [Fact]
    public void Apply_MesosRunMaxTwo_RequestsKillOnTheSecondCountedFailure()
    {
        KillFlagsOverFailures(State(HealthCheckProtocol.MesosHttp, 2), 3).ShouldBe([false, true, true]);
        KillFlagsOverFailures(State(HealthCheckProtocol.Command, 2), 2).ShouldBe([false, true]);
    }

    [Fact]
    public void Apply_MarathonRunMaxZero_NeverRequestsKill()
    {
        KillFlagsOverFailures(State(HealthCheckProtocol.Tcp, 0), 10).ShouldAllBe(kill => !kill);
    }

    [Fact]
    public void Apply_FailureInsideGraceBeforeAnySuccess_IsIgnoredAndNotReported()
    {
        var state = State(HealthCheckProtocol.Http, 3, grace: 10);

        state.Apply(ProbeOutcome.Unhealthy("connection refused"), At(5), Running).ShouldBeFalse();
        state.Apply(ProbeOutcome.Unhealthy("connection refused"), At(10), Running).ShouldBeFalse();

        state.Result.ConsecutiveFailures.ShouldBe(0);
        state.Result.LastFailure.ShouldBeNull();
        state.Apply(ProbeOutcome.Unhealthy("connection refused"), At(10.001), Running).ShouldBeTrue();
        state.Result.ConsecutiveFailures.ShouldBe(1);
        state.Result.LastFailureCause.ShouldBe("connection refused");
    }

    [Fact]
    public void Apply_FailureInsideGraceAfterFirstSuccess_IsCounted()
    {
        var state = State(HealthCheckProtocol.Http, 3, grace: 300);
        state.Apply(ProbeOutcome.Healthy, At(1), Running).ShouldBeTrue();

        state.Apply(ProbeOutcome.Unhealthy("500 Internal Server Error"), At(2), Running).ShouldBeTrue();

        state.Result.ConsecutiveFailures.ShouldBe(1);
        state.Result.Alive.ShouldBeFalse();
    }

    [Fact]
    public void Apply_Successes_ReportFirstAndAfterFailuresButNotSteadyOnes()
    {
        var state = State(HealthCheckProtocol.Http, 3);

        state.Apply(ProbeOutcome.Healthy, At(1), Running).ShouldBeTrue();
        state.Result.FirstSuccess.ShouldBe(At(1));
        state.Result.Alive.ShouldBeTrue();
        state.Apply(ProbeOutcome.Healthy, At(2), Running).ShouldBeFalse();
        state.Apply(ProbeOutcome.Unhealthy("500 Internal Server Error"), At(3), Running).ShouldBeTrue();
        state.Apply(ProbeOutcome.Unhealthy("500 Internal Server Error"), At(4), Running).ShouldBeTrue();
        state.Result.ConsecutiveFailures.ShouldBe(2);

        state.Apply(ProbeOutcome.Healthy, At(5), Running).ShouldBeTrue();

        state.Result.ShouldBe(new Core.Health.HealthCheckResult
        {
            CheckIndex = 0,
            ConsecutiveFailures = 0,
            FirstSuccess = At(1),
            LastSuccess = At(5),
            LastFailure = At(4),
            LastFailureCause = "500 Internal Server Error",
        });
        state.Result.Alive.ShouldBeTrue();
        state.Apply(ProbeOutcome.Healthy, At(6), Running).ShouldBeFalse();
    }

    [Fact]
    public void Apply_Ignored_ChangesNothing()
    {
        var state = State(HealthCheckProtocol.Http, 3);
        state.Apply(ProbeOutcome.Healthy, At(1), Running);
        var before = state.Result;

        state.Apply(ProbeOutcome.Ignored, At(2), Running).ShouldBeFalse();

        state.Result.ShouldBe(before);
    }

    [Theory]
    [InlineData(HealthCheckProtocol.Http, 1, 15, 1)]
    [InlineData(HealthCheckProtocol.Http, 3, 15, 3)]
    [InlineData(HealthCheckProtocol.Https, 60, 15, 5)]
    [InlineData(HealthCheckProtocol.Tcp, 0, 15, 1)]
    [InlineData(HealthCheckProtocol.MesosHttp, 60, 15, 15)]
    [InlineData(HealthCheckProtocol.Command, 2, 0, 0)]
    [InlineData(HealthCheckProtocol.MesosTcp, 1, 7, 7)]
    public void FirstDelay_ByProtocol_IsMinIntervalFiveForMarathonAndDelayForMesos(HealthCheckProtocol protocol, int interval, int delay, int expectedSeconds)
    {
        HealthCheckState.FirstDelay(new HealthCheckSpec { Protocol = protocol, IntervalSeconds = interval, DelaySeconds = delay })
            .ShouldBe(TimeSpan.FromSeconds(expectedSeconds));
    }

    [Fact]
    public void Interval_Zero_IsTreatedAsOneSecond()
    {
        HealthCheckState.Interval(new HealthCheckSpec { IntervalSeconds = 0 }).ShouldBe(TimeSpan.FromSeconds(1));
    }
}
