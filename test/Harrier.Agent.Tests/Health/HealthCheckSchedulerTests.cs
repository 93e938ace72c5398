using Harrier.Agent.Health;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Health;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests.Health;

/// <summary>The scheduler on real time with 1-second intervals: timing, reporting, readiness, updates, resends.</summary>
[Collection(HealthProcessCollection.Name)]
public sealed class HealthCheckSchedulerTests : IDisposable
{
    private readonly ReportLog _log = new();
    private readonly HealthCheckScheduler _scheduler;
    private readonly CheckTarget _target = new(new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, "/tmp");

    public HealthCheckSchedulerTests()
    {
        _scheduler = new HealthCheckScheduler(new Core.Ids.AgentId("agent-1"), _log.SendAsync, TimeProvider.System, NullLogger.Instance);
    }

    public void Dispose() => _scheduler.Dispose();

    private static TaskLaunch Launch(HealthCheckSpec? spec = null, int? port = null, TaskReadinessCheck? readiness = null) =>
        AgentTestHarness.Launch(shell: "true") with
        {
            HealthChecks = spec is null ? ValueList<TaskHealthCheck>.Empty : new ValueList<TaskHealthCheck>([new TaskHealthCheck(0, spec, port)]),
            Readiness = readiness,
        };

    private static Timestamp Now => Timestamp.From(TimeProvider.System.GetUtcNow());

    private Timestamp Start(TaskLaunch launch)
    {
        var since = Now;
        _scheduler.Start(launch, _target, since);
        return since;
    }

    /// <summary>
    /// Lets a little over a second pass, measured by a companion check that fails every second, so a test can show that
    /// something else did not happen in that time (no bare sleeps).
    /// </summary>
    private async Task LetASecondPassAsync()
    {
        var witness = Launch(new HealthCheckSpec { Protocol = HealthCheckProtocol.MesosTcp, IntervalSeconds = 1, DelaySeconds = 0, GracePeriodSeconds = 0, MaxConsecutiveFailures = 99 }, TestAppHost.FreePort());
        Start(witness);
        await Eventually.TrueAsync(() => _log.Reports.Count(r => r.TaskId == witness.TaskId) >= 2, TimeSpan.FromSeconds(10), "two witness reports");
        _scheduler.Stop(witness.TaskId);
    }

    private int CountFor(Core.Ids.TaskId taskId) => _log.Reports.Count(r => r.TaskId == taskId);

    [Theory]
    [InlineData(HealthCheckProtocol.Tcp, 3)]
    [InlineData(HealthCheckProtocol.MesosTcp, 2)]
    public async Task Start_FailingCheckMaxTwo_ReportsEveryCountedFailureAndKillFirstOnTheRuleCount(HealthCheckProtocol protocol, int killAt)
    {
        var launch = Launch(new HealthCheckSpec { Protocol = protocol, IntervalSeconds = 1, DelaySeconds = 0, GracePeriodSeconds = 0, MaxConsecutiveFailures = 2, TimeoutSeconds = 1 }, TestAppHost.FreePort());
        Start(launch);

        var reports = await _log.WaitForCountAsync(killAt);

        reports.Take(killAt).Select(r => r.Health.Single().ConsecutiveFailures).ShouldBe(Enumerable.Range(1, killAt));
        reports.Take(killAt - 1).ShouldAllBe(r => r.KillRequested.IsEmpty);
        reports[killAt - 1].KillRequested.ShouldBe(new ValueList<int>([0]));
        reports[0].TaskId.ShouldBe(launch.TaskId);
        reports[0].AgentId.Value.ShouldBe("agent-1");
        reports[0].Health.Single().LastFailureCause.ShouldBe("Connection refused");
    }

    [Fact]
    public async Task Start_MarathonMaxZero_NeverRequestsKill()
    {
        Start(Launch(new HealthCheckSpec { Protocol = HealthCheckProtocol.Tcp, IntervalSeconds = 1, GracePeriodSeconds = 0, MaxConsecutiveFailures = 0 }, TestAppHost.FreePort()));

        var reports = await _log.WaitForCountAsync(2);

        reports.ShouldAllBe(r => r.KillRequested.IsEmpty);
    }

    [Fact]
    public async Task Start_FailuresInsideGrace_AreNotReported()
    {
        var since = Start(Launch(new HealthCheckSpec { Protocol = HealthCheckProtocol.MesosTcp, IntervalSeconds = 1, DelaySeconds = 0, GracePeriodSeconds = 2, MaxConsecutiveFailures = 9 }, TestAppHost.FreePort()));

        var first = (await _log.WaitForCountAsync(1)).First().Health.Single();

        // Probes ran at ~0 s, 1 s and 2 s and were ignored; the first counted failure is after the grace period.
        first.ConsecutiveFailures.ShouldBe(1);
        first.LastFailure!.Value.UnixMilliseconds.ShouldBeGreaterThan(since.UnixMilliseconds + 2000);
        _scheduler.ProbesCompleted.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task Start_FirstProbeTiming_IsMinIntervalFiveForMarathonAndDelayForMesos()
    {
        await using var app = await TestAppHost.StartAsync();
        var marathon = Launch(new HealthCheckSpec { Protocol = HealthCheckProtocol.Tcp, IntervalSeconds = 2, DelaySeconds = 0 }, app.Port);
        var mesos = Launch(new HealthCheckSpec { Protocol = HealthCheckProtocol.MesosTcp, IntervalSeconds = 10, DelaySeconds = 0 }, app.Port);
        var since = Start(marathon);
        Start(mesos);

        var reports = await _log.WaitForCountAsync(2);

        var mesosFirst = reports.Single(r => r.TaskId == mesos.TaskId).Health.Single().FirstSuccess!.Value.UnixMilliseconds - since.UnixMilliseconds;
        var marathonFirst = reports.Single(r => r.TaskId == marathon.TaskId).Health.Single().FirstSuccess!.Value.UnixMilliseconds - since.UnixMilliseconds;
        mesosFirst.ShouldBeLessThan(1000);
        marathonFirst.ShouldBeInRange(1900, 3500);
    }

    [Fact]
    public async Task Start_SteadySuccesses_ReportOnlyTheFirst()
    {
        await using var app = await TestAppHost.StartAsync();
        Start(Launch(new HealthCheckSpec { Protocol = HealthCheckProtocol.MesosHttp, Path = "/health", IntervalSeconds = 1, DelaySeconds = 0 }, app.Port));

        await Eventually.TrueAsync(() => _scheduler.ProbesCompleted >= 3, TimeSpan.FromSeconds(10), "three probes");

        var report = _log.Reports.ShouldHaveSingleItem();
        report.Health.Single().Alive.ShouldBeTrue();
        report.KillRequested.ShouldBeEmpty();
    }

    [Fact]
    public async Task Start_HealthFlipsAndRecovers_ReportsFailureAndReset()
    {
        await using var app = await TestAppHost.StartAsync();
        Start(Launch(new HealthCheckSpec { Protocol = HealthCheckProtocol.Http, Path = "health", IntervalSeconds = 1, GracePeriodSeconds = 0 }, app.Port));
        await _log.WaitForCountAsync(1);

        await app.PostAsync("/health/fail");
        var failed = (await _log.WaitForCountAsync(2))[1].Health.Single();
        await app.PostAsync("/health/ok");
        var recovered = (await _log.WaitForCountAsync(3))[2].Health.Single();

        failed.Alive.ShouldBeFalse();
        failed.LastFailureCause.ShouldBe("503 Service Unavailable");
        recovered.Alive.ShouldBeTrue();
        recovered.ConsecutiveFailures.ShouldBe(0);
    }

    [Fact]
    public async Task Readiness_NotReadyThenReady_ReportsEachChangeWithTheKeptResponseAndStops()
    {
        await using var app = await TestAppHost.StartAsync("--not-ready");
        var spec = new ReadinessCheckSpec { Path = "/ready", IntervalSeconds = 1, TimeoutSeconds = 1, PreserveLastResponse = true };
        var readinessTask = Launch(readiness: new TaskReadinessCheck(spec, app.Port));
        Start(readinessTask);

        var notReady = (await _log.WaitForCountAsync(1))[0].Readiness!;
        await Eventually.TrueAsync(() => _scheduler.ProbesCompleted >= 2, TimeSpan.FromSeconds(10), "a second readiness probe");
        _log.Reports.Count.ShouldBe(1);
        await app.PostAsync("/ready/ok");
        var ready = (await _log.WaitForCountAsync(2))[1].Readiness!;

        notReady.Name.ShouldBe("readinessCheck");
        notReady.Ready.ShouldBeFalse();
        notReady.LastResponse.ShouldBe(new ReadinessResponse(503, "text/plain; charset=utf-8", "not ready"));
        ready.Ready.ShouldBeTrue();
        ready.LastResponse.ShouldBe(new ReadinessResponse(200, "text/plain; charset=utf-8", "ready"));
        await app.PostAsync("/ready/fail");
        await LetASecondPassAsync();
        CountFor(readinessTask.TaskId).ShouldBe(2);
    }

    [Fact]
    public async Task Readiness_StatusCodesForReady_DecideAndNoResponseKeptWithoutPreserve()
    {
        await using var app = await TestAppHost.StartAsync("--not-ready");
        var spec = new ReadinessCheckSpec { Name = "ready503", Path = "/ready", IntervalSeconds = 1, HttpStatusCodesForReady = new ValueList<int>([503]) };
        Start(Launch(readiness: new TaskReadinessCheck(spec, app.Port)));

        var result = (await _log.WaitForCountAsync(1))[0].Readiness!;

        result.ShouldBe(new ReadinessCheckResult { Name = "ready503", Ready = true });
    }

    [Fact]
    public async Task Readiness_Https_TrustsTheSelfSignedCertificate()
    {
        await using var app = await TestAppHost.StartAsync("--https");
        var spec = new ReadinessCheckSpec { Protocol = "HTTPS", Path = "/ready", IntervalSeconds = 1 };
        Start(Launch(readiness: new TaskReadinessCheck(spec, app.Port)));

        var result = (await _log.WaitForCountAsync(1))[0].Readiness!;

        result.ShouldBe(new ReadinessCheckResult { Name = "readinessCheck", Ready = true });
    }

    [Fact]
    public async Task UpdateChecks_SameIndex_KeepsCountsAndAppliesNewThresholds()
    {
        var port = TestAppHost.FreePort();
        var spec = new HealthCheckSpec { Protocol = HealthCheckProtocol.Tcp, IntervalSeconds = 1, GracePeriodSeconds = 0, MaxConsecutiveFailures = 5 };
        var launch = Launch(spec, port);
        Start(launch);
        (await _log.WaitForCountAsync(2))[1].KillRequested.ShouldBeEmpty();

        _scheduler.UpdateChecks(launch.TaskId, new ValueList<TaskHealthCheck>([new TaskHealthCheck(0, spec with { MaxConsecutiveFailures = 1 }, port)])).ShouldBeTrue();
        var reports = await _log.WaitForCountAsync(3);

        reports[2].Health.Single().ConsecutiveFailures.ShouldBe(3);
        reports[2].KillRequested.ShouldBe(new ValueList<int>([0]));
    }

    [Fact]
    public async Task ResendAll_AfterAReport_SendsTheCurrentStateAgainButNothingForSilentTasks()
    {
        await using var app = await TestAppHost.StartAsync();
        var reported = Launch(new HealthCheckSpec { Protocol = HealthCheckProtocol.MesosTcp, IntervalSeconds = 60, DelaySeconds = 0 }, app.Port);
        var silent = Launch(new HealthCheckSpec { Protocol = HealthCheckProtocol.MesosTcp, IntervalSeconds = 60, DelaySeconds = 60 }, TestAppHost.FreePort());
        Start(reported);
        Start(silent);
        var first = (await _log.WaitForCountAsync(1))[0];

        _scheduler.ResendAll();
        var again = (await _log.WaitForCountAsync(2))[1];

        again.TaskId.ShouldBe(reported.TaskId);
        again.Health.ShouldBe(first.Health);
        _scheduler.CurrentReport(silent.TaskId).ShouldNotBeNull().Health.Single().FirstSuccess.ShouldBeNull();
        _log.Reports.ShouldAllBe(r => r.TaskId == reported.TaskId);
    }

    [Fact]
    public async Task Stop_RunningChecks_EndsThemWithoutFurtherReports()
    {
        var launch = Launch(new HealthCheckSpec { Protocol = HealthCheckProtocol.MesosTcp, IntervalSeconds = 1, DelaySeconds = 0, GracePeriodSeconds = 0, MaxConsecutiveFailures = 9 }, TestAppHost.FreePort());
        Start(launch);
        await _log.WaitForCountAsync(1);

        _scheduler.Stop(launch.TaskId);
        var count = CountFor(launch.TaskId);
        await LetASecondPassAsync();

        _scheduler.TaskCount.ShouldBe(0);
        _scheduler.CurrentReport(launch.TaskId).ShouldBeNull();
        CountFor(launch.TaskId).ShouldBe(count);
    }
}
