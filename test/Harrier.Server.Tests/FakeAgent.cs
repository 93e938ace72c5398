using System.Collections.Concurrent;
using Harrier.Core.Collections;
using Harrier.Core.Health;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Protocol;

namespace Harrier.Server.Tests;

/// <summary>
/// A scripted agent speaking the real protocol to the server's gateway. By default a launch goes STAGING → RUNNING
/// and a kill answers KILLED; <see cref="HoldLaunches"/> keeps new tasks in STAGING until <see cref="ReleaseAll"/>.
/// </summary>
internal sealed class FakeAgent : IAsyncDisposable
{
    private readonly IAgentGateway _gateway;
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource _restart = new();
    private readonly ConcurrentDictionary<TaskId, TaskState> _tasks = new();
    private readonly ConcurrentQueue<TaskId> _held = new();
    private Task? _loop;
    private Task? _heartbeats;
    private volatile bool _silent;

    public FakeAgent(IAgentGateway gateway, string id = "agent-1", double cpus = 8, double mem = 16384, string hostname = "127.0.0.1")
    {
        _gateway = gateway;
        Info = new AgentInfo { Id = new AgentId(id), Hostname = hostname, Resources = new ResourceVector(cpus, mem, 100_000) };
    }

    /// <summary>Heartbeat period once started (null: no heartbeats, for tests that do not time agents out).</summary>
    public TimeSpan? HeartbeatEvery { get; init; }

    /// <summary>The heartbeat interval the server asked for at the latest registration.</summary>
    public int? AskedHeartbeatMs { get; private set; }

    /// <summary>Heartbeats the server refused (it does not hold this agent as connected).</summary>
    public int RefusedHeartbeats;

    /// <summary>Stops heartbeating and reading commands, as a partitioned agent does; <see cref="RejoinAsync"/> ends it.</summary>
    public async Task GoSilentAsync()
    {
        _silent = true;
        await _restart.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    /// <summary>Registers again with the tasks it still runs, as a returning agent does.</summary>
    public async Task RejoinAsync()
    {
        _silent = false;
        _restart = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        await RegisterAsync(_tasks.Where(t => !t.Value.IsTerminal()).Select(t => new TaskReport(t.Key, t.Value, null)).ToList());
    }

    public AgentInfo Info { get; init; }

    public bool HoldLaunches { get; set; }

    public ConcurrentQueue<AgentCommand> Received { get; } = new();

    public IReadOnlyDictionary<TaskId, TaskState> Tasks => _tasks;

    public IEnumerable<TaskId> Live => _tasks.Where(t => !t.Value.IsTerminal()).Select(t => t.Key);

    public async Task StartAsync(IEnumerable<TaskReport>? running = null)
    {
        var reports = running?.ToList() ?? [];
        foreach (var r in reports)
        {
            _tasks[r.TaskId] = r.State;
        }
        _restart = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        await RegisterAsync(reports);
        if (HeartbeatEvery is { } every)
        {
            _heartbeats = Task.Run(() => HeartbeatLoopAsync(every));
        }
    }

    private async Task RegisterAsync(List<TaskReport> reports)
    {
        var response = await _gateway.RegisterAsync(new RegisterAgentRequest(ProtocolVersion.Current, Info, new ValueList<TaskReport>(reports)), _stop.Token);
        if (!response.Accepted)
        {
            throw new InvalidOperationException(response.Error);
        }
        AskedHeartbeatMs = response.HeartbeatIntervalMs;
        var token = _restart.Token;
        _loop = Task.Run(() => ReadCommandsAsync(token));
    }

    private async Task HeartbeatLoopAsync(TimeSpan every)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(every, _stop.Token);
                if (!_silent && !await _gateway.HeartbeatAsync(Info.Id, _stop.Token))
                {
                    Interlocked.Increment(ref RefusedHeartbeats);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <summary>Sends a status update; returns its id (the server acknowledges it with an <see cref="AckStatusCommand"/>).</summary>
    public async Task<Guid> ReportAsync(TaskId task, TaskState state, string? message = null, string? reason = null)
    {
        _tasks[task] = state;
        var id = Guid.NewGuid();
        await _gateway.ReportStatusAsync(new TaskStatusUpdate(id, Info.Id, task, state, Timestamp.Zero, reason, message), CancellationToken.None);
        return id;
    }

    /// <summary>Waits until the server acknowledged update <paramref name="updateId"/>.</summary>
    public Task WaitForAckAsync(Guid updateId) => Harrier.Testing.Eventually.TrueAsync(
        () => Task.FromResult(Received.OfType<AckStatusCommand>().Any(a => a.UpdateId == updateId)),
        TimeSpan.FromSeconds(10),
        "the update to be acknowledged");

    /// <summary>Reports one check's state for a task, as the agent's checker does after a counted failure or a success.</summary>
    public Task ReportHealthAsync(TaskId task, HealthCheckResult result, bool kill = false, ReadinessCheckResult? readiness = null) =>
        _gateway.ReportHealthAsync(
            new TaskHealthReport(Info.Id, task, Timestamp.From(DateTimeOffset.UtcNow), new ValueList<HealthCheckResult>([result]), readiness, kill ? new ValueList<int>([result.CheckIndex]) : default),
            CancellationToken.None).AsTask();

    /// <summary>Reports check 0 of a task as passing.</summary>
    public Task ReportPassingAsync(TaskId task) =>
        ReportHealthAsync(task, new HealthCheckResult { CheckIndex = 0, FirstSuccess = Timestamp.Zero, LastSuccess = Timestamp.Zero });

    public async Task ReleaseAll()
    {
        while (_held.TryDequeue(out var task))
        {
            await ReportAsync(task, TaskState.Running);
        }
    }

    private async Task ReadCommandsAsync(CancellationToken token)
    {
        try
        {
            await foreach (var command in _gateway.CommandsAsync(Info.Id, token))
            {
                Received.Enqueue(command);
                switch (command)
                {
                    case LaunchTaskCommand launch:
                        await ReportAsync(launch.Launch.TaskId, TaskState.Staging);
                        if (HoldLaunches)
                        {
                            _held.Enqueue(launch.Launch.TaskId);
                            if (!HoldLaunches)
                            {
                                // The test stopped holding while this launch was being held: release it too.
                                await ReleaseAll();
                            }
                        }
                        else
                        {
                            await ReportAsync(launch.Launch.TaskId, TaskState.Running);
                        }
                        break;
                    case KillTaskCommand kill:
                        await ReportAsync(kill.TaskId, _tasks.ContainsKey(kill.TaskId) ? TaskState.Killed : TaskState.Gone);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        if (_heartbeats is not null)
        {
            await _heartbeats;
        }
        _restart.Dispose();
        _stop.Dispose();
    }
}
