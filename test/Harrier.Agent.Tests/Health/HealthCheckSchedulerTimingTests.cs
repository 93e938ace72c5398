using Harrier.Agent.Health;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests.Health;

/// <summary>
/// The scheduler on a fake clock: exactly when probes run and which failures the grace period hides. Probes still
/// do real I/O (a TCP connect to a closed loopback port is refused at once).
/// </summary>
public sealed class HealthCheckSchedulerTimingTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Start);
    private readonly ReportLog _log = new();
    private readonly HealthCheckScheduler _scheduler;

    public HealthCheckSchedulerTimingTests()
    {
        _scheduler = new HealthCheckScheduler(new Core.Ids.AgentId("agent-1"), _log.SendAsync, _time, NullLogger.Instance);
    }

    public void Dispose() => _scheduler.Dispose();

    private void StartChecks(HealthCheckSpec spec)
    {
        var launch = AgentTestHarness.Launch(shell: "true") with
        {
            HealthChecks = new ValueList<TaskHealthCheck>([new TaskHealthCheck(0, spec, TestAppHost.FreePort())]),
        };
        _scheduler.Start(launch, new CheckTarget(new Dictionary<string, string>(), "/tmp"), Timestamp.From(Start));
    }

    /// <summary>Advances the clock and waits (bounded) until every probe it started has finished.</summary>
    private async Task<long> AdvanceAsync(double seconds, long expectedProbes)
    {
        _time.Advance(TimeSpan.FromSeconds(seconds));
        await Eventually.TrueAsync(() => _scheduler.ProbesCompleted >= expectedProbes, TimeSpan.FromSeconds(10), $"{expectedProbes} probes");
        return _scheduler.ProbesCompleted;
    }

    [Theory]
    [InlineData(HealthCheckProtocol.Tcp, 10, 15, 5)]
    [InlineData(HealthCheckProtocol.Tcp, 3, 15, 3)]
    [InlineData(HealthCheckProtocol.MesosTcp, 10, 7, 7)]
    [InlineData(HealthCheckProtocol.MesosTcp, 1, 0, 0)]
    public async Task Start_FirstProbe_RunsAtMinIntervalFiveOrDelay(HealthCheckProtocol protocol, int interval, int delay, int firstAt)
    {
        StartChecks(new HealthCheckSpec { Protocol = protocol, IntervalSeconds = interval, DelaySeconds = delay, GracePeriodSeconds = 0 });

        if (firstAt > 0)
        {
            (await AdvanceAsync(firstAt - 0.1, 0)).ShouldBe(0);
        }
        await AdvanceAsync(firstAt == 0 ? 0 : 0.1, 1);
        // The next one comes a full interval later.
        (await AdvanceAsync(interval - 0.1, 1)).ShouldBe(1);
        await AdvanceAsync(0.1, 2);

        // A failure at the very moment the task became Running is still inside a grace period of 0 s.
        var firstCounted = firstAt == 0 ? interval : firstAt;
        var report = (await _log.WaitForCountAsync(1))[0].Health.Single();
        report.LastFailure.ShouldBe(Timestamp.From(Start + TimeSpan.FromSeconds(firstCounted)));
    }

    [Fact]
    public async Task Start_GraceThreeSecondsNeverHealthy_CountsOnlyFailuresAfterIt()
    {
        StartChecks(new HealthCheckSpec { Protocol = HealthCheckProtocol.Tcp, IntervalSeconds = 1, GracePeriodSeconds = 3, MaxConsecutiveFailures = 1 });

        // Probes at 1 s, 2 s and 3 s fail inside the grace period (3 s is still inside: "now <= since + grace").
        for (var i = 1; i <= 3; i++)
        {
            await AdvanceAsync(1, i);
        }
        _log.Reports.ShouldBeEmpty();
        await AdvanceAsync(1, 4);
        await AdvanceAsync(1, 5);

        var reports = await _log.WaitForCountAsync(2);
        reports.Select(r => r.Health.Single().ConsecutiveFailures).ShouldBe([1, 2]);
        reports[0].Health.Single().LastFailure.ShouldBe(Timestamp.From(Start + TimeSpan.FromSeconds(4)));
        reports[0].Timestamp.ShouldBe(Timestamp.From(Start + TimeSpan.FromSeconds(4)));
        reports.Select(r => r.KillRequested.Count).ShouldBe([0, 1]);
    }
}
