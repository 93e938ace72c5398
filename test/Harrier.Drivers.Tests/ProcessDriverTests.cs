using System.Diagnostics;
using Harrier.Drivers;
using Harrier.Linux;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests;

public sealed class ProcessDriverTests : IAsyncDisposable
{
    private readonly TestSandbox _sandbox = new();
    private readonly ProcessDriver _driver = NewDriver();
    private readonly List<IDriverTask> _started = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_Argv_IsExecutedWithoutAShell()
    {
        var spec = _sandbox.Spec(argv: ["printf", "%s|%s", "$HOME", "a b"]);

        await (await StartAsync(spec)).Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        (await File.ReadAllTextAsync(spec.StdoutPath, Ct)).ShouldBe("$HOME|a b");
    }

    [Fact]
    public async Task StartAsync_Shell_RunsViaBinSh()
    {
        var spec = _sandbox.Spec(shell: "echo out; echo err >&2; echo $((40+2))");

        await (await StartAsync(spec)).Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        (await File.ReadAllTextAsync(spec.StdoutPath, Ct)).ShouldBe("out\n42\n");
        (await File.ReadAllTextAsync(spec.StderrPath, Ct)).ShouldBe("err\n");
    }

    [Fact]
    public async Task StartAsync_Environment_IsExactlyTheGivenOneAndCwdIsTheSandbox()
    {
        Environment.SetEnvironmentVariable("HARRIER_AGENT_SECRET", "leak");
        var spec = _sandbox.Spec(shell: "env; pwd", env: new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["FOO"] = "bar baz" });

        await (await StartAsync(spec)).Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var output = await File.ReadAllTextAsync(spec.StdoutPath, Ct);
        output.ShouldContain("FOO=bar baz\n");
        output.ShouldNotContain("HARRIER_AGENT_SECRET");
        output.ShouldEndWith(spec.SandboxDirectory + "\n");
    }

    [Fact]
    public async Task StartAsync_Task_LeadsItsOwnSession()
    {
        var task = await StartAsync(_sandbox.Spec(argv: ["sleep", "1000"]));

        ProcessControl.SessionOf(task.Handle.Pid).ShouldBe(task.Handle.Pid);
        ProcessControl.SessionOf(task.Handle.Pid).ShouldNotBe(ProcessControl.SessionOf(Environment.ProcessId));
    }

    [Fact]
    public async Task StartAsync_MissingCommand_FailsWithStatus127()
    {
        var exit = await (await StartAsync(_sandbox.Spec(argv: ["no-such-binary-harrier"]))).Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        exit.ExitCode.ShouldBe(127);
        exit.Message.ShouldBe("Command exited with status 127 (command not found)");
    }

    [Fact]
    public async Task StartAsync_KilledBySignal_ReportsTheSignal()
    {
        var exit = await (await StartAsync(_sandbox.Spec(shell: "kill -9 $$"))).Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        exit.Signal.ShouldBe(9);
        exit.Message.ShouldBe("Command terminated with signal Killed");
    }

    [Fact]
    public async Task StartAsync_UnknownUser_Throws()
    {
        var spec = _sandbox.Spec(argv: ["true"]) with { User = "no-such-user-harrier" };

        var e = await Should.ThrowAsync<DriverLaunchException>(() => _driver.StartAsync(spec, Ct));

        e.Message.ShouldContain("user 'no-such-user-harrier' does not exist");
    }

    [Fact]
    public async Task StartAsync_User_RunsAsThatUser()
    {
        if (Harrier.Testing.Requirements.Root() is { } skip)
        {
            Assert.Skip(skip);
        }
        var spec = _sandbox.Spec(shell: "id -u; touch mine") with { User = "nobody" };

        var exit = await (await StartAsync(spec)).Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        exit.ExitCode.ShouldBe(0);
        (await File.ReadAllTextAsync(spec.StdoutPath, Ct)).Trim().ShouldBe(UnixUser.Find("nobody")!.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task KillAsync_TaskTrappingTerm_IsKilledAfterGraceWithItsWholeGroup()
    {
        var spec = _sandbox.Spec(shell: "trap 'echo got-term' TERM; sleep 1000 & echo $! > child; while :; do sleep 0.05; done");
        var task = await StartAsync(spec);
        var childFile = Path.Combine(spec.SandboxDirectory, "child");
        await Harrier.Testing.Eventually.TrueAsync(() => File.Exists(childFile) && File.ReadAllText(childFile).EndsWith('\n'), TimeSpan.FromSeconds(10), "the child pid");
        var child = int.Parse(File.ReadAllText(childFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var watch = Stopwatch.StartNew();

        await task.KillAsync(TimeSpan.FromMilliseconds(700), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(650));
        (await task.Exited).Signal.ShouldBe(9);
        (await File.ReadAllTextAsync(spec.StdoutPath, Ct)).ShouldContain("got-term");
        await Harrier.Testing.Eventually.TrueAsync(() => ProcessControl.StartTimeOf(child) is null, TimeSpan.FromSeconds(5), "the task's child to die");
        ProcessControl.StartTimeOf(task.Handle.Pid).ShouldBeNull();
    }

    [Fact]
    public async Task RecoverAsync_RunningTask_IsReattachedWithoutRestart()
    {
        var spec = _sandbox.Spec(argv: ["sleep", "1000"]);
        var first = await _driver.StartAsync(spec, Ct);
        // Recovery is about a task that is really running: wait until it has exec'd before the driver goes away.
        await Harrier.Testing.Eventually.TrueAsync(
            () => File.Exists($"/proc/{first.Handle.Pid}/task/{first.Handle.Pid}/children")
                && File.ReadAllText($"/proc/{first.Handle.Pid}/task/{first.Handle.Pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Any(c => File.Exists($"/proc/{c}/comm") && File.ReadAllText($"/proc/{c}/comm").Trim() == "sleep"),
            TimeSpan.FromSeconds(10), "the task to exec");
        await _driver.DisposeAsync();
        await using var second = NewDriver();

        var recovered = await second.RecoverAsync(spec, first.Handle, Ct);

        recovered.Handle.Pid.ShouldBe(first.Handle.Pid);
        ProcessControl.IsAlive(first.Handle.Pid, first.Handle.StartTime).ShouldBeTrue();
        recovered.Exited.IsCompleted.ShouldBeFalse();
        await recovered.KillAsync(TimeSpan.FromSeconds(2), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        (await recovered.Exited).Signal.ShouldBe(15);
    }

    [Fact]
    public async Task RecoverAsync_TaskExitedWhileDriverWasGone_ReportsItsRealStatus()
    {
        var spec = _sandbox.Spec(shell: "while [ ! -f go ]; do sleep 0.02; done; exit 7");
        var first = await _driver.StartAsync(spec, Ct);
        await _driver.DisposeAsync();
        await File.WriteAllTextAsync(Path.Combine(spec.SandboxDirectory, "go"), "", Ct);
        await Harrier.Testing.Eventually.TrueAsync(() => File.Exists(Path.Combine(spec.StateDirectory, "exit-status")), TimeSpan.FromSeconds(10), "the launcher to record the exit");
        await using var second = NewDriver();

        var recovered = await second.RecoverAsync(spec, first.Handle, Ct);

        var exit = await recovered.Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        exit.ExitCode.ShouldBe(7);
        exit.Message.ShouldBe("Command exited with status 7");
    }

    [Fact]
    public async Task StartAsync_HundredTasks_TakesUnderTwoSeconds()
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            await StartAsync(_sandbox.Spec(argv: ["sleep", "1000"]));
        }
        watch.Stop();

        TestContext.Current.SendDiagnosticMessage($"100 launches took {watch.ElapsedMilliseconds} ms");
        // The target is < 2 s on a quiet 2-core box; the bound leaves room for a loaded CI machine.
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(Harrier.Testing.Requirements.InCi ? 2 : 6));
        _started.ShouldAllBe(t => !t.Exited.IsCompleted);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_started.Select(t => t.KillAsync(TimeSpan.Zero, CancellationToken.None)));
        await _driver.DisposeAsync();
        _sandbox.Dispose();
    }

    private static ProcessDriver NewDriver() =>
        new(new ProcessDriverOptions { UseCgroups = false, PollInterval = TimeSpan.FromMilliseconds(20) }, NullLogger.Instance);

    private async Task<IDriverTask> StartAsync(DriverTaskSpec spec)
    {
        var task = await _driver.StartAsync(spec, Ct);
        _started.Add(task);
        return task;
    }
}
