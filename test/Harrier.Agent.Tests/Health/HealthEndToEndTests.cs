using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests.Health;

/// <summary>A real agent (process driver) running the test app as a task, with its checks reported to a fake server.</summary>
[Collection(HealthProcessCollection.Name)]
public sealed class HealthEndToEndTests : IAsyncDisposable
{
    private readonly AgentTestHarness _h = new();

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private Task<TaskHealthReport> WaitForReportAsync(Func<TaskHealthReport, bool> match, string what, int after = 0) =>
        Eventually.WaitAsync(() => Task.FromResult(_h.Gateway.HealthReports.Skip(after).FirstOrDefault(match)), TimeSpan.FromSeconds(30), what);

    [Fact]
    public async Task Agent_TaskWithChecks_ReportsHealthReadinessUpdatesAndResendsWithoutKilling()
    {
        await _h.StartAsync();
        var port = TestAppHost.FreePort();
        var http = new HealthCheckSpec { Protocol = HealthCheckProtocol.Http, Path = "/health", IntervalSeconds = 1, GracePeriodSeconds = 30, MaxConsecutiveFailures = 5 };
        var command = new HealthCheckSpec { Protocol = HealthCheckProtocol.Command, Command = "test -d \"$MESOS_SANDBOX\" && test \"$MARATHON_APP_ID\" = /test/app", IntervalSeconds = 1, DelaySeconds = 0 };
        var launch = AgentTestHarness.Launch(argv: [TestAppHost.Dotnet, TestAppHost.AppDll, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--not-ready"], mem: 256) with
        {
            HealthChecks = new ValueList<TaskHealthCheck>([new TaskHealthCheck(0, http, port), new TaskHealthCheck(1, command, null)]),
            Readiness = new TaskReadinessCheck(new ReadinessCheckSpec { Path = "/ready", IntervalSeconds = 1, TimeoutSeconds = 1 }, port),
        };

        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Running);
        await TestAppHost.WaitListeningAsync(port, TimeSpan.FromSeconds(20));
        await WaitForReportAsync(r => r.Health.All(h => h.Alive) && r.Readiness is { Ready: false }, "both checks alive, not ready");
        await TestAppHost.PostAsync(port, "/ready/ok");
        var ready = await WaitForReportAsync(r => r.Readiness is { Ready: true }, "ready");

        ready.TaskId.ShouldBe(launch.TaskId);
        ready.AgentId.ShouldBe(_h.Gateway.Registrations.First().Agent.Id);
        ready.Health.Select(h => h.CheckIndex).ShouldBe([0, 1]);

        // Failing: counted (the grace period no longer protects after the first success), no kill request below the maximum.
        await TestAppHost.PostAsync(port, "/health/status/500");
        var failing = await WaitForReportAsync(r => r.Health[0].ConsecutiveFailures == 1, "a counted failure");
        failing.Health[0].LastFailureCause.ShouldBe("500 Internal Server Error");
        failing.Health[1].Alive.ShouldBeTrue();
        failing.KillRequested.ShouldBeEmpty();

        // Lowering the maximum in place keeps the count, so the next failure asks for a kill; the agent itself never kills.
        _h.Gateway.Push(new UpdateTaskChecksCommand(launch.TaskId, new ValueList<TaskHealthCheck>([new TaskHealthCheck(0, http with { MaxConsecutiveFailures = 1 }, port), new TaskHealthCheck(1, command, null)])));
        var kill = await WaitForReportAsync(r => !r.KillRequested.IsEmpty, "a kill request");
        kill.KillRequested.ShouldBe(new ValueList<int>([0]));
        kill.Health[0].ConsecutiveFailures.ShouldBeGreaterThanOrEqualTo(2);
        _h.Gateway.UpdatesFor(launch.TaskId).Last().State.ShouldBe(TaskState.Running);

        // Healthy again and quiet; a new registration re-sends the current state.
        var mark = _h.Gateway.HealthReports.Count;
        await TestAppHost.PostAsync(port, "/health/ok");
        var recovered = await WaitForReportAsync(r => r.Health.All(h => h.Alive), "recovery", mark);
        var before = _h.Gateway.HealthReports.Count;
        _h.Gateway.DropConnection();
        var resent = await WaitForReportAsync(_ => true, "a resend after registration", before);
        // The resend carries the current state: the same as the recovery report except for later LastSuccess times.
        resent.Health.Select(h => h with { LastSuccess = null }).ShouldBe(recovered.Health.Select(h => h with { LastSuccess = null }));
        resent.Health.ShouldAllBe(h => h.Alive);
        resent.Readiness.ShouldBe(recovered.Readiness);
        _h.Gateway.Registrations.Count.ShouldBeGreaterThanOrEqualTo(2);

        // Killed: the checks stop with the task.
        _h.Gateway.Push(new KillTaskCommand(launch.TaskId, 3));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Killed);
    }
}
