using System.Collections.Concurrent;

namespace Harrier.Drivers;

/// <summary>
/// A driver that runs nothing (Nomad's mock driver): for API benchmarks and agent tests. Tasks live in this object,
/// so they "survive" an agent restart only when the same driver instance is handed to the new agent.
/// </summary>
public sealed class FakeDriver : ITaskDriver
{
    private readonly FakeDriverOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<int, FakeDriverTask> _tasks = new();
    private int _nextPid = 100_000;

    public FakeDriver(FakeDriverOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public string Name => "fake";

    /// <summary>Tasks started and not yet ended.</summary>
    public int RunningCount => _tasks.Values.Count(t => !t.Exited.IsCompleted);

    public async Task<IDriverTask> StartAsync(DriverTaskSpec spec, CancellationToken cancellationToken)
    {
        if (_options.StartDelay > TimeSpan.Zero)
        {
            await Task.Delay(_options.StartDelay, _time, cancellationToken);
        }
        if (_options.LaunchError is { } error)
        {
            throw new DriverLaunchException(error);
        }
        if (_options.Output is { } output)
        {
            Directory.CreateDirectory(spec.SandboxDirectory);
            await File.AppendAllTextAsync(spec.StdoutPath, output, cancellationToken);
        }
        var pid = Interlocked.Increment(ref _nextPid);
        var task = new FakeDriverTask(new DriverHandle(pid, 0), _options, _time);
        _tasks[pid] = task;
        return task;
    }

    public Task<IDriverTask> RecoverAsync(DriverTaskSpec spec, DriverHandle handle, CancellationToken cancellationToken) =>
        Task.FromResult<IDriverTask>(_tasks.TryGetValue(handle.Pid, out var task)
            ? task
            : FakeDriverTask.Gone(handle));
}
