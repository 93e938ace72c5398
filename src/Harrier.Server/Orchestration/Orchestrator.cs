using System.Threading.Channels;
using System.Collections.Immutable;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Deployments;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.Server.Agents;
using Harrier.Server.Cluster;
using Harrier.Server.Commands;
using Harrier.Server.Events;
using Harrier.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Harrier.Server.Orchestration;

/// <summary>
/// The one writer of cluster state.
/// Owns: the current <see cref="ClusterSnapshot"/>. Reads: a bounded channel of <see cref="ServerCommand"/>s.
/// Each batch: apply the queued commands, run one control pass (deployments, scale check, kills, launches),
/// commit the durable difference to the store, publish the new snapshot, then send agent commands (acks last:
/// a status update is acknowledged only once it is stored) and complete the callers.
/// Agent commands leave through <see cref="Balancers.KillGate"/>, which holds kills of tasks registered balancers front
/// until they confirmed the drain (or a timeout), off this loop.
/// On a commit failure the batch is discarded: callers get a 503, the snapshot stays as it was.
/// Leadership: with the embedded store this server is always the leader.
/// </summary>
public sealed partial class Orchestrator : BackgroundService
{
    /// <summary>Agents' commands in arrival order, and a wake-up for each operator command.</summary>
    private readonly Channel<ServerCommand> _commands = Channel.CreateBounded<ServerCommand>(new BoundedChannelOptions(10_000) { SingleReader = true });
    /// <summary>Operators' commands (the API): each batch takes these first.</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<ServerCommand> _operator = new();
    private readonly IClusterStore _store;
    private readonly EventBus _events;
    private readonly AgentConnections _agents;
    private readonly ServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<Orchestrator> _logger;
    private readonly DeployHandler _deploy;
    private readonly GroupHandler _groups;
    private readonly StatusUpdateHandler _status;
    private readonly DeploymentRunner _runner;
    private readonly InstanceMaintainer _maintainer;
    private readonly Launcher _launcher;
    private readonly HealthReportHandler _health;
    private readonly AgentLiveness _liveness;
    private readonly OverlayAssigner _overlays;
    private readonly Discovery.VipAssigner _vips;
    private readonly OrphanTracker _orphans;
    private readonly AgentDrainer _drainer;
    private readonly AgentReconciler _reconciler;
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ClusterSnapshot _snapshot = new();
    private readonly Discovery.ISnapshotObserver[] _observers;
    /// <summary>Holds kills of tasks registered balancers front until they drained them (null: every command goes out at once).</summary>
    private readonly Balancers.KillGate? _kills;

    /// <summary>How often the maintainer looks at everything, not just what a batch touched: every second, or
    /// ten times as long as the last full pass took, so sweeping a very large cluster stays under a tenth of the time.</summary>
    private static readonly TimeSpan FullSweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>Commands per batch at most: large enough that a flood of status updates shares few control passes and commits.</summary>
    private const int MaxBatch = 4096;

    /// <summary>Operator commands per batch at most, so agents' updates and heartbeats move on in every batch too.</summary>
    private const int MaxOperatorBatch = 256;

    private Timestamp _lastFullSweep = Timestamp.Zero;
    private double _lastFullPassMs;

    public Orchestrator(IClusterStore store, AgentConnections agents, ServerOptions options, TimeProvider time, ILogger<Orchestrator> logger, EventBus? events = null, IEnumerable<Discovery.ISnapshotObserver>? observers = null, Balancers.BalancerRegistry? balancers = null)
    {
        _kills = balancers is null ? null : new Balancers.KillGate(balancers, agents, options);
        _observers = [.. observers ?? []];
        _store = store;
        _events = events ?? new EventBus();
        _agents = agents;
        _options = options;
        _time = time;
        _logger = logger;
        var random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
        Func<Guid> newId = new Harrier.Core.Ids.UuidV7(time, new Random()).Next;
        var factory = new InstanceFactory(newId);
        _deploy = new DeployHandler(options, newId);
        _groups = new GroupHandler(_deploy, options);
        _orphans = new OrphanTracker(options);
        _status = new StatusUpdateHandler(options, _orphans);
        _liveness = new AgentLiveness(options);
        _overlays = new OverlayAssigner(options);
        _vips = new Discovery.VipAssigner(options.Discovery);
        _drainer = new AgentDrainer(factory);
        _reconciler = new AgentReconciler(options);
        _health = new HealthReportHandler(options);
        _runner = new DeploymentRunner(factory, options.IsClusterNetwork);
        _maintainer = new InstanceMaintainer(options, factory);
        _launcher = new Launcher(options, random);
    }

    /// <summary>The latest committed state. Never blocks.</summary>
    public ClusterSnapshot Snapshot => _snapshot;

    /// <summary>Completes once the stored state has been loaded.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>Queues a command and waits until it is committed. Throws <see cref="CommandError"/> when refused.</summary>
    public async Task<object?> ExecuteAsync(ServerCommand command, CancellationToken cancellationToken)
    {
        if (command.FromAgent)
        {
            await _commands.Writer.WriteAsync(command, cancellationToken);
        }
        else
        {
            _operator.Enqueue(command);
            // Wakes an idle loop; when the channel is full the loop is busy and takes the command next batch anyway.
            _commands.Writer.TryWrite(WakeUp.Instance);
        }
        return await command.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Queues a command without waiting for its commit. Used for agents' status updates and heartbeats, whose
    /// acknowledgement travels separately (an <see cref="AckStatusCommand"/> after the commit): waiting here would
    /// serialize one commit per update. The channel is FIFO, so one agent's updates keep their order.
    /// </summary>
    public ValueTask EnqueueAsync(ServerCommand command, CancellationToken cancellationToken)
    {
        command.FireAndForget = true;
        return _commands.Writer.WriteAsync(command, cancellationToken);
    }

    public async Task<T> ExecuteAsync<T>(ServerCommand command, CancellationToken cancellationToken) =>
        (T)(await ExecuteAsync(command, cancellationToken))!;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var data = await _store.LoadAsync(stoppingToken);
            _snapshot = Load(data, Timestamp.From(_time.GetUtcNow()));
            Notify(Discovery.PublishedChanges.All);
            _loaded.TrySetResult();
            LogLoaded(_snapshot.Apps.Count, _snapshot.Instances.Count, _snapshot.Deployments.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _loaded.TrySetException(e);
            throw;
        }

        var batch = new List<ServerCommand>();
        while (!stoppingToken.IsCancellationRequested)
        {
            batch.Clear();
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                tick.CancelAfter(_options.ReconcileInterval);
                try
                {
                    if (!_operator.IsEmpty || await _commands.Reader.WaitToReadAsync(tick.Token))
                    {
                        while (batch.Count < MaxOperatorBatch && _operator.TryDequeue(out var command))
                        {
                            batch.Add(command);
                        }
                        while (batch.Count < MaxBatch && _commands.Reader.TryRead(out var command))
                        {
                            if (command is not WakeUp)
                            {
                                batch.Add(command);
                            }
                        }
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The reconcile interval passed with nothing queued: run a control pass anyway.
                }
            }
            await RunBatchAsync(batch, stoppingToken);
        }
    }

    private async Task RunBatchAsync(List<ServerCommand> batch, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var m = new Mutation(_snapshot, Timestamp.From(_time.GetUtcNow()));
        var outcomes = new List<(ServerCommand Command, object? Result, Exception? Error)>(batch.Count);
        foreach (var command in batch)
        {
            var before = m.Snapshot;
            var emitted = m.Events.Count;
            try
            {
                outcomes.Add((command, Handle(m, command), null));
            }
            catch (CommandError e)
            {
                m.Snapshot = before;
                m.TruncateEvents(emitted);
                outcomes.Add((command, null, e));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                m.Snapshot = before;
                m.TruncateEvents(emitted);
                LogCommandFailed(e, command.GetType().Name);
                outcomes.Add((command, null, new CommandError(500, e.Message)));
            }
        }

        try
        {
            var full = m.Now.UnixMilliseconds - _lastFullSweep.UnixMilliseconds >= Math.Max(FullSweepInterval.TotalMilliseconds, 10 * _lastFullPassMs);
            _runner.Advance(m, full);
            if (full)
            {
                if (_liveness.Check(m))
                {
                    _overlays.Lost(m);
                }
                _reconciler.Sweep(m);
            }
            var moving = _drainer.Step(m, full);
            _maintainer.Maintain(m, full, moving);
            _orphans.KillDue(m);
            if (full)
            {
                _health.Sweep(m);
                _lastFullSweep = m.Now;
            }
            _launcher.Launch(m);
            _vips.Update(m);
            _runner.Remember(m.ChangedApps);
            if (full)
            {
                _lastFullPassMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogControlPassFailed(e);
        }

        ServerMetrics.PassDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        ServerMetrics.Commands.Add(batch.Count);
        if (m.IsDurableChange)
        {
            try
            {
                var commitStarted = System.Diagnostics.Stopwatch.GetTimestamp();
                await _store.CommitAsync(m.ToStateChange(), cancellationToken);
                ServerMetrics.CommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(commitStarted).TotalSeconds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCommitFailed(e);
                // The VIPs were worked out against the discarded batch: work them out again from the next one.
                _vips.Reset();
                foreach (var (command, _, _) in outcomes)
                {
                    // Fire-and-forget commands (status updates) are not acknowledged, so the agent resends them.
                    if (command.FireAndForget)
                    {
                        command.Completion.TrySetResult(null);
                    }
                    else
                    {
                        command.Completion.TrySetException(new CommandError(503, "The state store is unavailable: " + e.Message));
                    }
                }
                return;
            }
        }
        var previous = _snapshot;
        _snapshot = m.Snapshot with { Sequence = _snapshot.Sequence + 1 };
        _events.Publish(m.Events);
        if (_observers.Length > 0)
        {
            Notify(new Discovery.PublishedChanges(m.TouchedInstances, new HashSet<Harrier.Core.Ids.PathId>(m.TouchedApps), m.TouchedAgents));
        }
        if (_kills is not null)
        {
            _kills.Dispatch(previous, _snapshot, m.Outbox, m.TouchedInstances);
        }
        else
        {
            foreach (var (agent, command) in m.Outbox)
            {
                _agents.Send(agent, command);
            }
        }
        foreach (var (command, result, error) in outcomes)
        {
            if (error is null || command.FireAndForget)
            {
                command.Completion.TrySetResult(result);
            }
            else
            {
                command.Completion.TrySetException(error);
            }
        }
    }

    private void Notify(Discovery.PublishedChanges changes)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.Published(_snapshot, changes);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogObserverFailed(e, observer.GetType().Name);
            }
        }
    }

    private object? Handle(Mutation m, ServerCommand command)
    {
        switch (command)
        {
            case DeployAppsCommand deploy:
                return _deploy.Handle(m, deploy);
            case DeployGroupCommand group:
                return _groups.Handle(m, group);
            case PatchGroupCommand patch:
                return GroupHandler.Patch(m, patch);
            case KillInstancesCommand kill:
                return KillHandler.Handle(m, kill, _options);
            case CancelDeploymentCommand cancel:
                return CancelDeployment(m, cancel);
            case ResetDelayCommand reset:
                if (!m.Snapshot.Delays.ContainsKey(reset.AppId) && !m.Snapshot.InstancesOf(reset.AppId).Any(i => i.Condition == Condition.Scheduled))
                {
                    throw new CommandError(404, $"Application {reset.AppId} not found in tasks queue.");
                }
                m.Snapshot = m.Snapshot with { Delays = m.Snapshot.Delays.Remove(reset.AppId) };
                return null;
            case StatusUpdateCommand status:
                if (!_status.Apply(m, status.Update))
                {
                    LogForeignStatus(status.Update.AgentId.Value, status.Update.TaskId.Value, status.Update.State);
                }
                m.Send(status.Update.AgentId, new AckStatusCommand(status.Update.TaskId, status.Update.UpdateId));
                Touch(m, status.Update.AgentId);
                return null;
            case AgentRegisterCommand register:
                return Register(m, register.Request);
            case HealthReportCommand health:
                if (!_health.Apply(m, health.Report))
                {
                    LogForeignHealth(health.Report.AgentId.Value, health.Report.TaskId.Value);
                }
                Touch(m, health.Report.AgentId);
                return null;
            case SetAgentModeCommand mode:
                return _drainer.SetMode(m, mode);
            case AgentHeartbeatCommand heartbeat:
                Touch(m, heartbeat.Agent);
                return null;
            default:
                throw new CommandError(400, "Unknown command " + command.GetType().Name);
        }
    }

    private RegisterAgentResponse Register(Mutation m, RegisterAgentRequest request)
    {
        if (request.ProtocolVersion != ProtocolVersion.Current)
        {
            return new RegisterAgentResponse(false, $"Agent protocol version {request.ProtocolVersion} is not supported; this server speaks version {ProtocolVersion.Current}.");
        }
        var known = m.Snapshot.Agents.TryGetValue(request.Agent.Id, out var before);
        // The mode is the operator's (drain), not the agent's: it survives re-registration.
        var info = request.Agent with { Mode = known ? before!.Info.Mode : Harrier.Core.Resources.AgentMode.Active };
        info = info with
        {
            OverlaySubnets = _overlays.Assign(m.Snapshot, info, before?.Info),
            OverlayAddress = info.OverlayAddress ?? (System.Net.IPAddress.TryParse(info.Hostname, out var ip) && !System.Net.IPAddress.IsLoopback(ip) ? info.Hostname : null),
        };
        m.PutAgent(new AgentStatus(info, true, known ? before!.RegisteredAt : m.Now, m.Now), durable: !known || before!.Info != info);
        _status.Reconcile(m, info.Id, request.Tasks.Items);
        _reconciler.Registered(m, info.Id);
        _overlays.Registered(m, info);
        _vips.Registered(m, info.Id);
        return new RegisterAgentResponse(true, HeartbeatIntervalMs: (int)_options.HeartbeatInterval.TotalMilliseconds);
    }

    private static void Touch(Mutation m, Harrier.Core.Ids.AgentId agent)
    {
        if (m.Snapshot.Agents.TryGetValue(agent, out var status))
        {
            m.PutAgent(status with { LastSeen = m.Now }, durable: false);
        }
    }

    /// <summary>force: drop the plan where it stands (null). Otherwise revert its changes as a new forced deployment.</summary>
    private object? CancelDeployment(Mutation m, CancelDeploymentCommand cancel)
    {
        var plan = m.Snapshot.Deployments.FirstOrDefault(d => d.Id == cancel.Id)
            ?? throw new CommandError(404, $"DeploymentPlan {cancel.Id} does not exist");
        if (cancel.Force)
        {
            m.RemoveDeployment(plan.Id);
            foreach (var e in DeploymentFailedEvent.Cancelled(m.Now, plan))
            {
                m.Emit(e);
            }
            DeploymentReasons.Clear(m, plan);
            return null;
        }
        var changes = new List<AppChange>();
        foreach (var id in plan.AffectedRunSpecs)
        {
            var original = plan.OriginalOf(id);
            var exists = m.Snapshot.Apps.ContainsKey(id);
            if (original is not null)
            {
                changes.Add(new AppChange(id, original));
            }
            else if (exists)
            {
                changes.Add(new AppChange(id, null, Delete: true));
            }
        }
        return _deploy.Handle(m, new DeployAppsCommand(changes, Force: true));
    }

    /// <summary>Stored agents start disconnected, last seen now: those that do not register within the agent timeout are lost.</summary>
    private static ClusterSnapshot Load(ClusterData data, Timestamp now)
    {
        var snapshot = new ClusterSnapshot
        {
            Apps = data.Apps.ToImmutableSortedDictionary(a => a.Id, a => a),
            Groups = data.Groups.ToImmutableSortedDictionary(g => g.Id, g => g),
            Deployments = [.. data.Deployments.OrderBy(d => d.Version)],
            Agents = data.Agents.ToImmutableDictionary(a => a.Id, a => new AgentStatus(a, false, Timestamp.Zero, now)),
        };
        foreach (var instance in data.Instances)
        {
            snapshot = snapshot.WithInstance(instance);
        }
        return snapshot;
    }

    /// <summary>Put in the agents' channel for each operator command, so a loop waiting on it wakes.</summary>
    private sealed record WakeUp : ServerCommand
    {
        public static WakeUp Instance { get; } = new();
    }

    [LoggerMessage(1, LogLevel.Information, "Loaded state: {Apps} apps, {Instances} instances, {Deployments} deployments")]
    private partial void LogLoaded(int apps, int instances, int deployments);

    [LoggerMessage(2, LogLevel.Error, "Command {Command} failed unexpectedly")]
    private partial void LogCommandFailed(Exception e, string command);

    [LoggerMessage(3, LogLevel.Error, "Control pass failed")]
    private partial void LogControlPassFailed(Exception e);

    [LoggerMessage(4, LogLevel.Error, "Committing the state change failed; the batch is discarded")]
    private partial void LogCommitFailed(Exception e);

    [LoggerMessage(5, LogLevel.Warning, "Refused a status update from agent {Agent} for task {Task} ({State}): the task is not placed on that agent")]
    private partial void LogForeignStatus(string agent, string task, TaskState state);

    [LoggerMessage(6, LogLevel.Warning, "Refused a health report from agent {Agent} for task {Task}: the task is not placed on that agent")]
    private partial void LogForeignHealth(string agent, string task);

    [LoggerMessage(7, LogLevel.Error, "Snapshot observer {Observer} failed")]
    private partial void LogObserverFailed(Exception e, string observer);
}
