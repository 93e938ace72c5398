using Microsoft.Extensions.Logging;

namespace Harrier.Drivers;

/// <summary>
/// One loop per driver that polls every watched task for exit and starts its finish. Polling (not SIGCHLD) because
/// recovered tasks are not our children; one loop keeps the cost flat in the number of tasks. Disposing stops
/// watching and never touches the tasks: they must outlive the agent.
/// </summary>
internal sealed class ExitPoller : IAsyncDisposable
{
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly List<IPolledTask> _watched = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ExitPoller(TimeSpan interval, ILogger logger)
    {
        _interval = interval;
        _logger = logger;
    }

    public void Watch(IPolledTask task)
    {
        lock (_gate)
        {
            _watched.Add(task);
            _loop ??= Task.Run(PollLoopAsync);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task PollLoopAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            do
            {
                IPolledTask[] tasks;
                lock (_gate)
                {
                    tasks = [.. _watched];
                }
                foreach (var task in tasks)
                {
                    if (task.PollExited())
                    {
                        lock (_gate)
                        {
                            _watched.Remove(task);
                        }
                        _ = task.FinishAsync(_logger);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
