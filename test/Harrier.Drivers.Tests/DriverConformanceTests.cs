using Harrier.Drivers;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests;

/// <summary>
/// What every driver must do. Each driver supplies how to express "exit with code n", "run until killed" and
/// "write this output" in its own terms.
/// </summary>
public abstract class DriverConformanceTests : IAsyncDisposable
{
    private protected readonly TestSandbox Sandbox = new();
    private readonly List<IDriverTask> _started = [];

    protected abstract ITaskDriver Driver { get; }

    private protected abstract DriverTaskSpec ExitsWith(int code);

    private protected abstract DriverTaskSpec RunsUntilKilled();

    private protected abstract DriverTaskSpec Writes(string output);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_ExitZero_Succeeds()
    {
        var exit = await (await StartAsync(ExitsWith(0))).Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        exit.ExitCode.ShouldBe(0);
        exit.Succeeded.ShouldBeTrue();
        exit.Message.ShouldBe("Command exited with status 0");
    }

    [Fact]
    public async Task StartAsync_ExitThree_ReportsStatusThree()
    {
        var exit = await (await StartAsync(ExitsWith(3))).Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        exit.ExitCode.ShouldBe(3);
        exit.Succeeded.ShouldBeFalse();
        exit.Message.ShouldBe("Command exited with status 3");
    }

    [Fact]
    public async Task KillAsync_RunningTask_EndsWithSignal()
    {
        var task = await StartAsync(RunsUntilKilled());
        task.Exited.IsCompleted.ShouldBeFalse();

        await task.KillAsync(TimeSpan.FromSeconds(5), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var exit = await task.Exited;
        exit.Signal.ShouldBe(15);
        exit.Message.ShouldBe("Command terminated with signal Terminated");
    }

    [Fact]
    public async Task StartAsync_Output_LandsInSandboxStdout()
    {
        var spec = Writes("hello from the task");
        var task = await StartAsync(spec);
        await task.Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        (await File.ReadAllTextAsync(spec.StdoutPath, Ct)).ShouldContain("hello from the task");
    }

    [Fact]
    public async Task RecoverAsync_UnknownHandle_IsAlreadyEnded()
    {
        var spec = ExitsWith(0);
        Directory.CreateDirectory(spec.StateDirectory);

        var task = await Driver.RecoverAsync(spec, new DriverHandle(int.MaxValue - 7, 12345), Ct);

        var exit = await task.Exited.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        exit.ExitCode.ShouldBeNull();
        exit.Succeeded.ShouldBeFalse();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var task in _started)
        {
            await task.KillAsync(TimeSpan.Zero, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        await DisposeDriverAsync();
        Sandbox.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the driver (and whatever else the subclass set up) before the sandbox is deleted.</summary>
    private protected virtual async ValueTask DisposeDriverAsync()
    {
        if (Driver is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }
    }

    private async Task<IDriverTask> StartAsync(DriverTaskSpec spec)
    {
        var task = await Driver.StartAsync(spec, Ct);
        _started.Add(task);
        return task;
    }
}
