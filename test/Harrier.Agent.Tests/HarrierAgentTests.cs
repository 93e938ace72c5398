using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Drivers;
using Harrier.Linux;
using Harrier.Protocol;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests;

public sealed class HarrierAgentTests : IAsyncDisposable
{
    private readonly AgentTestHarness _h = new();

    [Fact]
    public async Task Constructor_SameWorkDir_KeepsTheAgentId()
    {
        var first = await _h.StartAsync();
        var id = first.AgentId;
        await _h.CrashAsync(first);

        var second = await _h.StartAsync();

        second.AgentId.ShouldBe(id);
        id.Value.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task StartAsync_Registers_WithConfiguredResourcesAndHeartbeats()
    {
        await _h.StartAsync();

        var registration = await Eventually.WaitAsync(() => Task.FromResult(_h.Gateway.Registrations.FirstOrDefault()), TimeSpan.FromSeconds(10), "registration");
        registration.ProtocolVersion.ShouldBe(ProtocolVersion.Current);
        registration.Agent.Hostname.ShouldBe("agent-test");
        registration.Agent.Resources.Cpus.ShouldBe(2);
        registration.Agent.Resources.Mem.ShouldBe(1024);
        registration.Agent.Ports.ShouldBe([new Core.Resources.PortRange(31000, 32000)]);
        await Eventually.TrueAsync(() => _h.Gateway.Heartbeats >= 2, TimeSpan.FromSeconds(10), "heartbeats");
    }

    [Fact]
    public void Constructor_NoResourceOverrides_AdvertisesTheMachine()
    {
        var options = _h.Options();
        options.Cpus = null;
        options.Mem = null;
        options.Disk = null;
        options.Hostname = null;

        using var agent = new HarrierAgent(options, _h.Gateway, Microsoft.Extensions.Logging.Abstractions.NullLogger<HarrierAgent>.Instance, TimeProvider.System);

        agent.Info.Resources.Cpus.ShouldBe(Environment.ProcessorCount);
        agent.Info.Resources.Mem.ShouldBeGreaterThan(0);
        agent.Info.Resources.Disk.ShouldBeGreaterThan(0);
        agent.Info.Hostname.ShouldBe(System.Net.Dns.GetHostName());
    }

    [Fact]
    public async Task Launch_ShellExitZero_ReportsStagingStartingRunningFinishedInOrder()
    {
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(shell: "echo \"sandbox=$MESOS_SANDBOX app=$MARATHON_APP_ID\"");

        _h.Gateway.Push(new LaunchTaskCommand(launch));

        var finished = await _h.WaitForStateAsync(launch.TaskId, TaskState.Finished);
        finished.Message.ShouldBe("Command exited with status 0");
        _h.Gateway.UpdatesFor(launch.TaskId).Select(u => u.State).ShouldBe([TaskState.Staging, TaskState.Starting, TaskState.Running, TaskState.Finished]);
        _h.Gateway.UpdatesFor(launch.TaskId).Select(u => u.UpdateId).Distinct().Count().ShouldBe(4);
        var sandbox = Path.Combine(_h.WorkDir, "sandboxes", launch.TaskId.Value);
        (await File.ReadAllTextAsync(Path.Combine(sandbox, "stdout"), TestContext.Current.CancellationToken)).ShouldBe($"sandbox={sandbox} app=/test/app\n");
    }

    [Fact]
    public async Task Launch_NonZeroExit_ReportsFailedWithStatus()
    {
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(argv: ["sh", "-c", "exit 3"]);

        _h.Gateway.Push(new LaunchTaskCommand(launch));

        var failed = await _h.WaitForStateAsync(launch.TaskId, TaskState.Failed);
        failed.Message.ShouldBe("Command exited with status 3");
    }

    [Fact]
    public async Task Launch_NeitherShellNorArgv_ReportsError()
    {
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch();

        _h.Gateway.Push(new LaunchTaskCommand(launch));

        var error = await _h.WaitForStateAsync(launch.TaskId, TaskState.Error);
        error.Message!.ShouldStartWith("Invalid launch");
    }

    [Fact]
    public async Task Launch_UnknownUser_ReportsFailed()
    {
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(argv: ["true"]) with { User = "no-such-user-harrier" };

        _h.Gateway.Push(new LaunchTaskCommand(launch));

        var failed = await _h.WaitForStateAsync(launch.TaskId, TaskState.Failed);
        failed.Message!.ShouldContain("user 'no-such-user-harrier' does not exist");
    }

    [Fact]
    public async Task Kill_RunningTask_ReportsKillingThenKilledAndTheProcessIsGone()
    {
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(argv: ["sleep", "1000"]);
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Running);
        var pid = _h.PidOf(launch.TaskId)!.Value;

        _h.Gateway.Push(new KillTaskCommand(launch.TaskId, 2));

        var killed = await _h.WaitForStateAsync(launch.TaskId, TaskState.Killed);
        killed.Message.ShouldBe("Command terminated with signal Terminated");
        _h.Gateway.UpdatesFor(launch.TaskId).Select(u => u.State).ShouldContain(TaskState.Killing);
        ProcessControl.StartTimeOf(pid).ShouldBeNull();
    }

    [Fact]
    public async Task Kill_UnknownTask_ReportsGone()
    {
        await _h.StartAsync();
        var unknown = new TaskId("nope.instance-00000000-0000-0000-0000-000000000000._app.1");

        _h.Gateway.Push(new KillTaskCommand(unknown, 1));

        var gone = await _h.WaitForStateAsync(unknown, TaskState.Gone);
        gone.Message.ShouldBe("Task unknown to the agent");
    }

    [Fact]
    public async Task Reconcile_KnownAndUnknown_AnswersCurrentStateAndGone()
    {
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(argv: ["sleep", "1000"]);
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Running);
        var unknown = new TaskId("nope.instance-00000000-0000-0000-0000-000000000001._app.1");

        _h.Gateway.Push(new ReconcileCommand(new[] { launch.TaskId, unknown }));

        await Eventually.TrueAsync(() => _h.Gateway.UpdatesFor(launch.TaskId).Count(u => u.State == TaskState.Running) >= 2, TimeSpan.FromSeconds(10), "reconciled running state");
        (await _h.WaitForStateAsync(unknown, TaskState.Gone)).Reason.ShouldBe("REASON_RECONCILIATION");
    }

    [Fact]
    public async Task StatusUpdate_NotAcknowledged_IsResentWithTheSameIdUntilAcked()
    {
        _h.Gateway.AutoAck = false;
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(argv: ["true"]);
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        var staging = await _h.WaitForStateAsync(launch.TaskId, TaskState.Staging);

        await Eventually.TrueAsync(() => _h.Gateway.Updates.Count(u => u.UpdateId == staging.UpdateId) >= 3, TimeSpan.FromSeconds(10), "staging to be resent");
        foreach (var update in _h.Gateway.UpdatesFor(launch.TaskId).DistinctBy(u => u.UpdateId))
        {
            _h.Gateway.Push(new AckStatusCommand(update.TaskId, update.UpdateId));
        }
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Finished);
        var finished = _h.Gateway.UpdatesFor(launch.TaskId).First(u => u.State == TaskState.Finished);
        _h.Gateway.Push(new AckStatusCommand(launch.TaskId, finished.UpdateId));

        // Once everything is acknowledged the agent forgets the task and stops resending.
        await Eventually.TrueAsync(() => !Directory.Exists(Path.Combine(_h.WorkDir, "tasks", launch.TaskId.Value)), TimeSpan.FromSeconds(10), "the task record to be removed");
        var count = _h.Gateway.Updates.Count;
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        _h.Gateway.Updates.Count.ShouldBe(count);
    }

    [Fact]
    public async Task TaskStart_StagingAndStartingUpdates_TravelInOneRequest()
    {
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(argv: ["sleep", "30"]);
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Running);

        // The first updates of a task follow each other within milliseconds; the agent lingers briefly so they share
        // a request rather than costing one each.
        Assert.True(_h.Gateway.Requests.TryPeek(out var first) && first >= 2, $"requests: {string.Join(",", _h.Gateway.Requests)}");
    }

    [Fact]
    public async Task StatusUpdate_NeverAcknowledged_ResendsBackOffExponentially()
    {
        _h.Gateway.AutoAck = false;
        var options = _h.Options();
        options.StatusUpdateRetryInterval = TimeSpan.FromMilliseconds(200);
        options.StatusUpdateRetryMax = TimeSpan.FromSeconds(10);
        await _h.StartAsync(options);
        var launch = AgentTestHarness.Launch(argv: ["sleep", "30"]);
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        var staging = await _h.WaitForStateAsync(launch.TaskId, TaskState.Staging);

        // Resent after 0.2 s, then 0.4, 0.8, 1.6 s later (on the 0.2 s tick): about 5 sends in 4 s, where a fixed
        // interval would make 20.
        await Task.Delay(4000, TestContext.Current.CancellationToken);
        var sends = _h.Gateway.Updates.Count(u => u.UpdateId == staging.UpdateId);
        sends.ShouldBeInRange(3, 7);
    }

    [Fact]
    public async Task ConnectionDropped_AgentRegistersAgainAndResendsUnacked()
    {
        _h.Gateway.AutoAck = false;
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(argv: ["sleep", "1000"]);
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Running);

        _h.Gateway.DropConnection();

        var again = await Eventually.WaitAsync(() => Task.FromResult(_h.Gateway.Registrations.Skip(1).FirstOrDefault()), TimeSpan.FromSeconds(10), "a second registration");
        again.Tasks.ShouldContain(new TaskReport(launch.TaskId, TaskState.Running));
        _h.Gateway.Push(new KillTaskCommand(launch.TaskId, 1));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Killed);
    }

    [Fact]
    public async Task Restart_RunningTask_IsRecoveredWithoutRestartAndCanBeKilled()
    {
        var first = await _h.StartAsync();
        var launch = AgentTestHarness.Launch(argv: ["sleep", "1000"]);
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Running);
        var pid = _h.PidOf(launch.TaskId)!.Value;
        var started = ProcessControl.StartTimeOf(pid)!.Value;
        await _h.CrashAsync(first);
        ProcessControl.IsAlive(pid, started).ShouldBeTrue();
        var registrations = _h.Gateway.Registrations.Count;

        await _h.StartAsync();

        var registration = await Eventually.WaitAsync(() => Task.FromResult(_h.Gateway.Registrations.Skip(registrations).FirstOrDefault()), TimeSpan.FromSeconds(10), "re-registration");
        registration.Tasks.ShouldContain(new TaskReport(launch.TaskId, TaskState.Running));
        ProcessControl.IsAlive(pid, started).ShouldBeTrue();
        _h.Gateway.UpdatesFor(launch.TaskId).Count(u => u.State == TaskState.Staging).ShouldBe(1);
        _h.Gateway.Push(new KillTaskCommand(launch.TaskId, 2));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Killed);
        ProcessControl.IsAlive(pid, started).ShouldBeFalse();
    }

    [Fact]
    public async Task Restart_TaskExitedWhileAgentWasDown_ReportsItsRealExitStatus()
    {
        var first = await _h.StartAsync();
        var launch = AgentTestHarness.Launch(shell: "while [ ! -f go ]; do sleep 0.02; done; exit 4");
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Running);
        await _h.CrashAsync(first);
        await File.WriteAllTextAsync(Path.Combine(_h.WorkDir, "sandboxes", launch.TaskId.Value, "go"), "", TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(_h.WorkDir, "tasks", launch.TaskId.Value, "exit-status")), TimeSpan.FromSeconds(10), "the task to exit");

        await _h.StartAsync();

        var failed = await _h.WaitForStateAsync(launch.TaskId, TaskState.Failed);
        failed.Message.ShouldBe("Command exited with status 4");
    }

    [Fact]
    public async Task Restart_UnackedUpdates_AreResentFromTheCheckpoint()
    {
        _h.Gateway.AutoAck = false;
        var first = await _h.StartAsync();
        var launch = AgentTestHarness.Launch(argv: ["true"]);
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        var finished = await _h.WaitForStateAsync(launch.TaskId, TaskState.Finished);
        await _h.CrashAsync(first);
        var before = _h.Gateway.Updates.Count(u => u.UpdateId == finished.UpdateId);

        await _h.StartAsync();

        await Eventually.TrueAsync(() => _h.Gateway.Updates.Count(u => u.UpdateId == finished.UpdateId) > before, TimeSpan.FromSeconds(10), "the finished update to be resent");
    }

    [Fact]
    public async Task Launch_MemoryHog_ReportsMemoryLimitReason()
    {
        if (Requirements.Root() is { } skip)
        {
            Assert.Skip(skip);
        }
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(shell: "head -c 300M /dev/zero | tail", mem: 32);

        _h.Gateway.Push(new LaunchTaskCommand(launch));

        var failed = await _h.WaitForStateAsync(launch.TaskId, TaskState.Failed, 30);
        failed.Reason.ShouldBe("REASON_CONTAINER_LIMITATION_MEMORY");
        failed.Message!.ShouldStartWith("Memory limit exceeded");
    }

    [Fact]
    public async Task Launch_FakeDriver_RunsNothingAndReportsRunning()
    {
        var options = _h.Options();
        options.Driver = "fake";
        await _h.StartAsync(options);
        var launch = AgentTestHarness.Launch(argv: ["this-is-not-run"]);

        _h.Gateway.Push(new LaunchTaskCommand(launch));

        await _h.WaitForStateAsync(launch.TaskId, TaskState.Running);
        _h.Gateway.Push(new KillTaskCommand(launch.TaskId, 1));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Killed);
    }

    [Fact]
    public async Task Launch_HundredTasksOnFakeDriver_AllRunQuickly()
    {
        var options = _h.Options();
        options.Driver = "fake";
        await _h.StartAsync(options);
        var launches = Enumerable.Range(0, 100).Select(_ => AgentTestHarness.Launch(argv: ["x"])).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        foreach (var launch in launches)
        {
            _h.Gateway.Push(new LaunchTaskCommand(launch));
        }

        await Eventually.TrueAsync(() => _h.Gateway.Updates.Where(u => u.State == TaskState.Running).Select(u => u.TaskId).Distinct().Count() == 100, TimeSpan.FromSeconds(20), "100 running tasks");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(Requirements.InCi ? 2 : 10));
    }

    [Fact]
    public async Task Kill_DuringSlowStart_ReportsKilledWithoutRunning()
    {
        var driver = new FakeDriver(new FakeDriverOptions { StartDelay = TimeSpan.FromSeconds(30) }, TimeProvider.System);
        await _h.StartAsync(driver: driver);
        var launch = AgentTestHarness.Launch(argv: ["x"]);
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Starting);

        _h.Gateway.Push(new KillTaskCommand(launch.TaskId, 1));

        await _h.WaitForStateAsync(launch.TaskId, TaskState.Killed);
        _h.Gateway.UpdatesFor(launch.TaskId).ShouldNotContain(u => u.State == TaskState.Running);
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();
}
