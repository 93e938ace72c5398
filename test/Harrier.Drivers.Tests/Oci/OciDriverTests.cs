using System.Diagnostics;
using Harrier.Drivers.Oci;
using Harrier.Linux;
using Harrier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests.Oci;

/// <summary>The OCI driver with real crun containers (root). Each instance has its own runtime root, bundles and cgroup parent.</summary>
public sealed class OciDriverTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TestSandbox _sandbox = new();
    private readonly OciTestHost _host;
    private readonly List<IDriverTask> _started = [];

    public OciDriverTests()
    {
        _host = new OciTestHost(_sandbox);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_Echo_LandsInTheSandboxStdout()
    {
        OciTestHost.Require();
        var spec = _host.Spec(shell: "echo hello from the container; echo oops >&2; cat /etc/motd; cat /etc/removed");

        var exit = await (await StartAsync(spec)).Exited.WaitAsync(Timeout, Ct);

        (await File.ReadAllTextAsync(spec.StdoutPath, Ct)).ShouldBe("hello from the container\nlayer2\n");
        (await File.ReadAllTextAsync(spec.StderrPath, Ct)).ShouldContain("oops\n");
        exit.ExitCode.ShouldBe(1, "cat of the whited-out file fails");
    }

    [Fact]
    public async Task StartAsync_ExitSeven_IsReported()
    {
        OciTestHost.Require();

        var exit = await (await StartAsync(_host.Spec(shell: "exit 7"))).Exited.WaitAsync(Timeout, Ct);

        exit.ExitCode.ShouldBe(7);
        exit.Message.ShouldBe("Command exited with status 7");
    }

    [Fact]
    public async Task StartAsync_AsUserApp_RunsAsUid1000()
    {
        OciTestHost.Require();
        var spec = _host.Spec(shell: "id -u; id -G; touch $MESOS_SANDBOX/mine") with { User = "app" };

        var exit = await (await StartAsync(spec)).Exited.WaitAsync(Timeout, Ct);

        exit.ExitCode.ShouldBe(0);
        (await File.ReadAllTextAsync(spec.StdoutPath, Ct)).ShouldBe("1000\n1000 50\n");
    }

    [Fact]
    public async Task StartAsync_Environment_ImageThenTaskThenParameter()
    {
        OciTestHost.Require();
        var spec = _host.Spec(
            argv: ["env"],
            env: new() { ["SHARED"] = "from-app", ["APP_VAR"] = "app" },
            container: c => c with { Parameters = [new("env", "PARAM_VAR=param")] });

        await (await StartAsync(spec)).Exited.WaitAsync(Timeout, Ct);

        var env = (await File.ReadAllTextAsync(spec.StdoutPath, Ct)).Split('\n');
        env.ShouldContain("IMAGE_VAR=image");
        env.ShouldContain("SHARED=from-app");
        env.ShouldContain("APP_VAR=app");
        env.ShouldContain("PARAM_VAR=param");
        env.ShouldContain("MESOS_SANDBOX=/mnt/mesos/sandbox");
        env.ShouldContain("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    }

    [Fact]
    public async Task StartAsync_Sandbox_IsMountedAtMntMesosSandbox()
    {
        OciTestHost.Require();
        var spec = _host.Spec(shell: "echo written-inside > /mnt/mesos/sandbox/inside.txt; pwd");

        (await (await StartAsync(spec)).Exited.WaitAsync(Timeout, Ct)).ExitCode.ShouldBe(0);

        (await File.ReadAllTextAsync(Path.Combine(spec.SandboxDirectory, "inside.txt"), Ct)).ShouldBe("written-inside\n");
    }

    [Fact]
    public async Task StartAsync_HostMounts_ReadOnlyRefusesWritesReadWriteAccepts()
    {
        OciTestHost.Require();
        var ro = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "host-ro")).FullName;
        var rw = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "host-rw")).FullName;
        var spec = _host.Spec(
            shell: "touch /data/ro/x && echo ro-writable; touch /data/rw/x && echo rw-writable",
            container: c => c with { Mounts = [new(ro, "/data/ro", true), new(rw, "/data/rw", false)] });

        await (await StartAsync(spec)).Exited.WaitAsync(Timeout, Ct);

        (await File.ReadAllTextAsync(spec.StdoutPath, Ct)).ShouldBe("rw-writable\n");
        File.Exists(Path.Combine(rw, "x")).ShouldBeTrue();
        File.Exists(Path.Combine(ro, "x")).ShouldBeFalse();
    }

    [Fact]
    public async Task StartAsync_MemoryHog_IsReportedAsMemoryLimitExceeded()
    {
        OciTestHost.Require();
        var spec = _host.Spec(shell: "head -c 314572800 /dev/zero | tail") with { MemMiB = 32 };

        var exit = await (await StartAsync(spec)).Exited.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        exit.MemoryLimitExceeded.ShouldBeTrue();
        exit.Message.ShouldStartWith("Memory limit exceeded: Requested: 32MB");
    }

    [Fact]
    public async Task KillAsync_TrapsTerm_ExitsWithinTheGrace()
    {
        OciTestHost.Require();
        var spec = _host.Spec(shell: "trap 'echo got-term; exit 0' TERM; echo ready; while true; do sleep 0.1; done");
        var task = await StartAsync(spec);
        await Eventually.TrueAsync(() => File.Exists(spec.StdoutPath) && File.ReadAllText(spec.StdoutPath).Contains("ready", StringComparison.Ordinal), Timeout, "the container to start");

        var clock = Stopwatch.StartNew();
        await task.KillAsync(TimeSpan.FromSeconds(10), Ct).WaitAsync(Timeout, Ct);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        (await task.Exited).ExitCode.ShouldBe(0);
        (await File.ReadAllTextAsync(spec.StdoutPath, Ct)).ShouldContain("got-term");
    }

    [Fact]
    public async Task KillAsync_SleepAsInitIgnoresTerm_IsKilledAfterTheGrace()
    {
        OciTestHost.Require();
        var spec = _host.Spec(argv: ["sleep", "1000"]);
        var task = await StartAsync(spec);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(_host.Options.BundlesDir, task.Handle.State!, "init.pid")), Timeout, "the container to start");

        var clock = Stopwatch.StartNew();
        await task.KillAsync(TimeSpan.FromSeconds(1), Ct).WaitAsync(Timeout, Ct);

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(8));
        (await task.Exited).Signal.ShouldBe(9);
    }

    [Fact]
    public async Task KillAsync_BeforeTheContainerStarted_EndsIt()
    {
        OciTestHost.Require();
        var task = await StartAsync(_host.Spec(argv: ["sleep", "1000"]));

        await task.KillAsync(TimeSpan.FromSeconds(1), Ct).WaitAsync(Timeout, Ct);

        (await task.Exited).Succeeded.ShouldBeFalse();
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task RecoverAsync_NewDriverInstance_KillsAndCollectsTheSameContainer()
    {
        OciTestHost.Require();
        var spec = _host.Spec(shell: "trap 'exit 143' TERM; sleep 1000 & wait");
        var first = await _host.Driver.StartAsync(spec, Ct);
        var pidFile = Path.Combine(_host.Options.BundlesDir, first.Handle.State!, "init.pid");
        await Eventually.TrueAsync(() => File.Exists(pidFile), Timeout, "the container to start");
        var init = File.ReadAllText(pidFile).Trim();
        await _host.Driver.DisposeAsync(); // the agent "crashes": its driver stops watching, the container runs on

        await using var second = new OciDriver(_host.Options, NullLogger.Instance);
        var recovered = await second.RecoverAsync(spec, first.Handle, Ct);

        recovered.Handle.Pid.ShouldBe(first.Handle.Pid);
        recovered.Handle.Driver.ShouldBe("oci");
        File.ReadAllText(pidFile).Trim().ShouldBe(init);
        recovered.Exited.IsCompleted.ShouldBeFalse();
        await recovered.KillAsync(TimeSpan.FromSeconds(5), Ct).WaitAsync(Timeout, Ct);
        (await recovered.Exited).Signal.ShouldBe(15);
        first.Exited.IsCompleted.ShouldBeFalse();
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task ExecAsync_RunsInsideTheContainer_ReturnsExitCodeAndOutput()
    {
        OciTestHost.Require();
        var spec = _host.Spec(argv: ["sleep", "1000"], container: c => c with { Hostname = "box-1" }) with { User = "app" };
        var task = await StartAsync(spec);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(_host.Options.BundlesDir, task.Handle.State!, "init.pid")), Timeout, "the container to start");
        var exec = (IDriverTaskExec)task;

        var (code, output) = await exec.ExecAsync("cat /only-in-image /etc/hostname; id -u; echo $CHECK; exit 3", new Dictionary<string, string> { ["CHECK"] = "yes" }, Timeout, Ct);

        code.ShouldBe(3);
        output.ShouldBe("from the image\nbox-1\n1000\nyes\n");
        (await exec.ExecAsync("sleep 30", new Dictionary<string, string>(), TimeSpan.FromMilliseconds(500), Ct)).ExitCode.ShouldBeNull();
        (await exec.ExecAsync("true", new Dictionary<string, string>(), Timeout, Ct)).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task CleanupAsync_UnknownContainer_IsRemoved()
    {
        OciTestHost.Require();
        var known = await StartAsync(_host.Spec(argv: ["sleep", "1000"]));
        var orphanSpec = _host.Spec(argv: ["sleep", "1000"]);
        await using (var crashed = new OciDriver(_host.Options, NullLogger.Instance))
        {
            var orphan = await crashed.StartAsync(orphanSpec, Ct);
            await Eventually.TrueAsync(() => File.Exists(Path.Combine(_host.Options.BundlesDir, orphan.Handle.State!, "init.pid")), Timeout, "the orphan to start");
        }
        await using var restarted = new OciDriver(_host.Options, NullLogger.Instance);

        var removed = await restarted.CleanupAsync(new HashSet<string> { known.Handle.State! }, Ct);

        removed.ShouldBe([OciDriver.ContainerIdOf(orphanSpec.TaskId)]);
        Directory.Exists(Path.Combine(_host.Options.BundlesDir, removed[0])).ShouldBeFalse();
        Directory.Exists(Path.Combine(_host.Options.RuntimeRoot, removed[0])).ShouldBeFalse();
        CgroupTree.Processes($"{_host.Options.CgroupParent}/{removed[0]}").ShouldBeEmpty();
        known.Exited.IsCompleted.ShouldBeFalse();
    }

    [Fact]
    public async Task IsAvailable_AsRootWithCrun_IsTrue()
    {
        OciTestHost.Require();

        _host.Driver.IsAvailable(out var reason).ShouldBeTrue(reason);
        new OciDriver(new OciDriverOptions { Runtime = "no-such-runtime" }, NullLogger.Instance).IsAvailable(out reason).ShouldBeFalse();
        reason.ShouldContain("no-such-runtime");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task StartAsync_UnknownUser_FailsBeforeAnythingIsCreated()
    {
        OciTestHost.Require();

        var e = await Should.ThrowAsync<DriverLaunchException>(() => _host.Driver.StartAsync(_host.Spec(shell: "true") with { User = "ghost" }, Ct));

        e.Message.ShouldContain("'ghost'");
        await AssertNothingLeftAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var task in _started)
            {
                await task.KillAsync(TimeSpan.Zero, CancellationToken.None).WaitAsync(Timeout, CancellationToken.None);
            }
            if (OciTestHost.Missing() is null)
            {
                await AssertNothingLeftAsync();
            }
        }
        finally
        {
            await _host.DisposeAsync();
            _sandbox.Dispose();
        }
    }

    /// <summary>No mounts under the bundles, no cgroup directories below the test's parent, no runtime state.</summary>
    private async Task AssertNothingLeftAsync()
    {
        await Eventually.TrueAsync(() => Mounts.Under(_host.Options.BundlesDir).Count == 0, Timeout, "no mounts under the bundles");
        (Directory.Exists(_host.Options.BundlesDir) ? Directory.EnumerateFileSystemEntries(_host.Options.BundlesDir) : []).ShouldBeEmpty();
        _host.CgroupDirectories().ShouldBeEmpty();
        (Directory.Exists(_host.Options.RuntimeRoot) ? Directory.EnumerateDirectories(_host.Options.RuntimeRoot) : []).ShouldBeEmpty();
    }

    private async Task<IDriverTask> StartAsync(DriverTaskSpec spec)
    {
        var task = await _host.Driver.StartAsync(spec, Ct);
        _started.Add(task);
        return task;
    }
}
