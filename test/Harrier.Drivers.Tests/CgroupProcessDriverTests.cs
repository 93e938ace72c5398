using System.Globalization;
using Harrier.Drivers;
using Harrier.Linux;
using Harrier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests;

/// <summary>The process driver with cgroups (root). Each test class instance uses its own parent cgroup.</summary>
public sealed class CgroupProcessDriverTests : IAsyncDisposable
{
    private readonly TestSandbox _sandbox = new();
    private readonly string _parent = "harrier-test-" + Guid.NewGuid().ToString("N")[..10];
    private readonly ProcessDriver _driver;
    private readonly List<IDriverTask> _started = [];

    public CgroupProcessDriverTests()
    {
        _driver = new ProcessDriver(new ProcessDriverOptions { CgroupParent = _parent, PollInterval = TimeSpan.FromMilliseconds(20) }, NullLogger.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_MemoryHog_IsOomKilledAndReportedAsMemoryLimit()
    {
        var hierarchy = RequireCgroups();
        var spec = _sandbox.Spec(shell: "head -c 300M /dev/zero | tail") with { MemMiB = 32 };

        var task = await StartAsync(spec);
        var exit = await task.Exited.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        exit.MemoryLimitExceeded.ShouldBeTrue();
        exit.Succeeded.ShouldBeFalse();
        exit.Message.ShouldStartWith("Memory limit exceeded: Requested: 32MB");
        TaskCgroup.Open(hierarchy, task.Handle.Cgroup!).Exists.ShouldBeFalse();
    }

    [Fact]
    public async Task StartAsync_Limits_AreWrittenToTheTaskCgroup()
    {
        var hierarchy = RequireCgroups();
        var spec = _sandbox.Spec(argv: ["sleep", "1000"]) with { Cpus = 0.5, MemMiB = 64 };

        var task = await StartAsync(spec);

        var cgroup = TaskCgroup.Open(hierarchy, task.Handle.Cgroup!);
        cgroup.MemoryLimit().ShouldBe(64L * 1024 * 1024);
        await Eventually.TrueAsync(() => cgroup.Processes().Count == 2, TimeSpan.FromSeconds(5), "launcher and task in the cgroup");
        cgroup.Processes().ShouldContain(task.Handle.Pid);
        if (!hierarchy.IsV2)
        {
            var cpuDir = Path.GetDirectoryName(cgroup.ProcsFiles[0])!;
            (await File.ReadAllTextAsync(Path.Combine(cpuDir, "cpu.shares"), Ct)).Trim().ShouldBe("512");
            (await File.ReadAllTextAsync(Path.Combine(cpuDir, "cpu.cfs_quota_us"), Ct)).Trim().ShouldBe("50000");
        }
        await task.KillAsync(TimeSpan.FromSeconds(2), Ct);
        cgroup.Exists.ShouldBeFalse();
    }

    [Fact]
    public async Task Exit_StrayProcessThatLeftTheGroup_IsKilledWithTheTask()
    {
        var hierarchy = RequireCgroups();
        var spec = _sandbox.Spec(shell: "setsid sleep 1000 & echo $! > stray; sleep 0.2; exit 0");

        var task = await StartAsync(spec);
        var exit = await task.Exited.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        exit.ExitCode.ShouldBe(0);
        var stray = int.Parse(File.ReadAllText(Path.Combine(spec.SandboxDirectory, "stray")).Trim(), CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(() => ProcessControl.StartTimeOf(stray) is null, TimeSpan.FromSeconds(5), "the stray to be killed");
        TaskCgroup.Open(hierarchy, task.Handle.Cgroup!).Exists.ShouldBeFalse();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_started.Select(t => t.KillAsync(TimeSpan.Zero, CancellationToken.None)));
        await _driver.DisposeAsync();
        _driver.Cgroups?.RemoveParentIfEmpty();
        _sandbox.Dispose();
    }

    private CgroupHierarchy RequireCgroups()
    {
        if (Requirements.Root() is { } skip)
        {
            Assert.Skip(skip);
        }
        return _driver.Cgroups ?? throw new InvalidOperationException("root but no usable cgroup hierarchy");
    }

    private async Task<IDriverTask> StartAsync(DriverTaskSpec spec)
    {
        var task = await _driver.StartAsync(spec, Ct);
        _started.Add(task);
        return task;
    }
}
