namespace Harrier.Drivers;

/// <summary>A task of the <see cref="FakeDriver"/>: a timer standing in for a process.</summary>
internal sealed class FakeDriverTask : IDriverTask
{
    private readonly TaskCompletionSource<DriverExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FakeDriverOptions _options;
    private readonly TimeProvider _time;

    public FakeDriverTask(DriverHandle handle, FakeDriverOptions options, TimeProvider time)
    {
        Handle = handle;
        _options = options;
        _time = time;
        if (options.ExitCode is { } code)
        {
            _ = ExitAfterAsync(options.RunTime, code);
        }
    }

    public DriverHandle Handle { get; }

    public Task<DriverExit> Exited => _exited.Task;

    public static FakeDriverTask Gone(DriverHandle handle)
    {
        var task = new FakeDriverTask(handle, new FakeDriverOptions(), TimeProvider.System);
        task._exited.TrySetResult(new DriverExit(null, null, false, "Command ended; its exit status is unknown"));
        return task;
    }

    public async Task KillAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var signal = _options.StopDelay > gracePeriod ? 9 : 15;
        var delay = signal == 9 ? gracePeriod : _options.StopDelay;
        if (delay > TimeSpan.Zero && !Exited.IsCompleted)
        {
            await Task.WhenAny(Exited, Task.Delay(delay, _time, cancellationToken));
        }
        _exited.TrySetResult(new DriverExit(null, signal, false, SignalNames.ExitMessage(null, signal)));
        await Exited;
    }

    private async Task ExitAfterAsync(TimeSpan runTime, int code)
    {
        if (runTime > TimeSpan.Zero)
        {
            await Task.Delay(runTime, _time);
        }
        _exited.TrySetResult(new DriverExit(code, null, false, SignalNames.ExitMessage(code, null)));
    }
}
