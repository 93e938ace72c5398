using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Harrier.Agent.Health;
using Harrier.Agent.Launch;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Drivers;
using Harrier.Linux;
using Harrier.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Harrier.Agent;

/// <summary>
/// The node agent. Owns: the task runners of this node, their checkpoint under <see cref="AgentOptions.WorkDir"/>,
/// and the connection to the server. Loop: recover tasks from the checkpoint (without restarting them), register
/// with the tasks it runs, consume commands (launch, kill, ack, reconcile) and heartbeat; when the command stream
/// ends or fails, register again with backoff. Status updates are sent at least once: each is kept (in memory and
/// in the checkpoint) and resent until the server acknowledges it. Stopping the agent never stops its tasks.
/// </summary>
public sealed class HarrierAgent : BackgroundService, ITaskLogReader, ITaskStatusSender
{
    /// <summary>Status updates sent in one request at most.</summary>
    private const int MaxUpdatesPerRequest = 512;

    /// <summary>How long the first queued update waits for others before a request goes.</summary>
    private static readonly TimeSpan SendLinger = TimeSpan.FromMilliseconds(10);

    private readonly AgentOptions _options;
    private readonly IAgentGateway _gateway;
    private readonly ILogger<HarrierAgent> _logger;
    private readonly TimeProvider _time;
    private readonly AgentCheckpoint _checkpoint;
    private readonly AgentDrivers _drivers;
    private readonly AgentQueryHandler _queries;
    private readonly PersistentVolumes _volumes;
    private readonly bool _ownsDriver;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(5) };
    private readonly ConcurrentDictionary<TaskId, TaskRunner> _runners = new();
    private readonly Channel<TaskStatusUpdate> _outbox = Channel.CreateUnbounded<TaskStatusUpdate>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly AgentRunContext _context;
    private readonly SandboxLogReader _logs;
    private readonly AgentInfo _info;
    private readonly HealthCheckScheduler _health;
    private readonly TaskUsers _users;
    private volatile bool _registered;
    /// <summary>Cancels the current command stream (a refused heartbeat: the server wants a fresh registration).</summary>
    private volatile CancellationTokenSource? _connection;
    /// <summary>The heartbeat period: the server's, given at registration, else the configured one.</summary>
    private TimeSpan _heartbeatInterval;
    private int _disposed;

    public HarrierAgent(AgentOptions options, IAgentGateway gateway, ILogger<HarrierAgent> logger, TimeProvider time)
        : this(options, gateway, logger, time, null, null)
    {
    }

    /// <summary>For tests: a given driver (not disposed by the agent) and id source.</summary>
    internal HarrierAgent(AgentOptions options, IAgentGateway gateway, ILogger<HarrierAgent> logger, TimeProvider time, ITaskDriver? driver, Func<Guid>? newId)
    {
        _options = options;
        _heartbeatInterval = options.HeartbeatInterval;
        _gateway = gateway;
        _logger = logger;
        _time = time;
        _checkpoint = new AgentCheckpoint(options.WorkDir);
        AgentId = _checkpoint.LoadOrCreateIdentity().Id;
        _ownsDriver = driver is null;
        var fetcher = new UriFetcher(_http, _checkpoint.CacheDir);
        _volumes = new PersistentVolumes(Path.Combine(_checkpoint.WorkDir, "volumes"));
        _users = new TaskUsers(TaskUsers.DefaultFor(options.DefaultUser));
        var (drivers, pipeline, images, networks) = AgentDriverFactory.Create(options, AgentId.Value, fetcher, _users, _volumes, logger, time);
        if (driver is not null)
        {
            drivers = new AgentDrivers(new Dictionary<string, ITaskDriver> { [driver.Name] = driver }, driver.Name);
        }
        _drivers = drivers;
        Images = images;
        Networks = networks;
        _context = new AgentRunContext(AgentId, _checkpoint, _drivers, pipeline, this, time, newId ?? new Core.Ids.UuidV7(time, new Random()).Next, _stopping.Token)
        {
            CheckpointFailed = (taskId, e) => AgentLog.CheckpointFailed(logger, taskId, e),
        };
        _queries = new AgentQueryHandler(() => Runners, images, options.CgroupParent, time)
        {
            NetworkStatistics = [.. pipeline.Steps.OfType<Launch.Networks.NetworkStep>().SelectMany(s => s.Modes).OfType<Launch.Networks.INetworkStatisticsSource>()],
        };
        _logs = new SandboxLogReader(time, TimeSpan.FromMilliseconds(250));
        _info = AgentInfoMapper.Describe(options, AgentId, _checkpoint.WorkDir, _drivers.Names, networks.Cni.Names);
        _health = new HealthCheckScheduler(AgentId, gateway.ReportHealthAsync, time, logger);
    }

    /// <summary>This agent's id, stable across restarts (persisted in the work dir).</summary>
    public AgentId AgentId { get; }

    /// <summary>The agent's image store, when it can run container images.</summary>
    public Drivers.Images.IImageStore? Images { get; }

    /// <summary>The networks the agent offers its tasks (bridge, overlays).</summary>
    internal Launch.Networks.AgentNetworks Networks { get; }

    /// <summary>What the agent advertises at registration.</summary>
    public AgentInfo Info => _info;

    internal IReadOnlyCollection<TaskRunner> Runners => [.. _runners.Values];

    public IAsyncEnumerable<ReadOnlyMemory<byte>>? ReadAsync(TaskId taskId, string stream, int? tail, bool follow, CancellationToken cancellationToken)
    {
        if (stream is not ("stdout" or "stderr") || taskId.Value.Contains('/') || taskId.Value is "" or "." or "..")
        {
            return null;
        }
        var sandbox = _checkpoint.SandboxOf(taskId.Value);
        if (!Directory.Exists(sandbox))
        {
            return null;
        }
        if (SandboxLogReader.Refusal(sandbox, stream) is { } refused)
        {
            AgentLog.LogRefused(_logger, taskId, refused);
            return null;
        }
        return _logs.ReadAsync(sandbox, stream, tail, follow, () => !_runners.TryGetValue(taskId, out var r) || r.IsTerminal, cancellationToken);
    }

    void ITaskStatusSender.Send(TaskStatusUpdate update)
    {
        _outbox.Writer.TryWrite(update);
        var runner = _runners.GetValueOrDefault(update.TaskId);
        _health.Follow(update, runner?.Launch, _checkpoint.SandboxOf(update.TaskId.Value), runner is null ? null : () => runner.Exec);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _health.Dispose();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _stopping.Cancel();
        _health.Dispose();
        base.Dispose();
        if (_ownsDriver)
        {
            foreach (var disposable in _drivers.All.OfType<IAsyncDisposable>())
            {
                disposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        (Images as IDisposable)?.Dispose();
        _vips?.Dispose();
        Networks.Dispose();
        _http.Dispose();
        _stopping.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _stopping.Token);
        var token = linked.Token;
        // Detect isolation now, so an unprivileged agent warns at start ("without cgroup limits"), not at its first launch.
        foreach (var process in _drivers.All.OfType<ProcessDriver>())
        {
            _ = process.Cgroups;
        }
        Recover();
        await CleanUpContainersAsync(token);
        await CleanUpNetworksAsync(token);
        var loops = new[] { SendLoopAsync(token), ResendLoopAsync(token), HeartbeatLoopAsync(token) };
        await ConnectLoopAsync(token);
        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Recover()
    {
        var saved = _checkpoint.LoadTasks();
        foreach (var task in saved)
        {
            var runner = TaskRunner.FromCheckpoint(_context, task);
            if (runner.IsDone)
            {
                _checkpoint.Remove(task.TaskId);
                continue;
            }
            _runners[runner.TaskId] = runner;
            if (runner.State == TaskState.Running && runner.Launch is { } launch)
            {
                // Its RUNNING update came from the previous agent process: its checks restart now, with a fresh grace period.
                _health.Start(launch, CheckTarget.For(launch, _checkpoint.SandboxOf(task.TaskId), () => runner.Exec, () => runner.IpAddresses), Core.Time.Timestamp.From(_time.GetUtcNow()));
            }
            Track(runner, runner.RecoverAsync);
        }
        AgentLog.Recovered(_logger, _runners.Count);
    }

    /// <summary>
    /// Containers of the OCI runtime that no checkpointed task knows (a crash between creating one and checkpointing
    /// it, a task forgotten after its last update) are killed and deleted with their bundles and cgroups.
    /// </summary>
    private async Task CleanUpContainersAsync(CancellationToken token)
    {
        foreach (var oci in _drivers.All.OfType<Drivers.Oci.OciDriver>())
        {
            try
            {
                // A task without a handle never got past its start: whatever container it left is an orphan too.
                var known = _runners.Values.Select(r => r.Handle).Where(h => h?.Driver == oci.Name && h.State is not null).Select(h => h!.State!)
                    .ToHashSet(StringComparer.Ordinal);
                var removed = await oci.CleanupAsync(known, token);
                if (removed.Count > 0)
                {
                    AgentLog.OrphanContainersRemoved(_logger, removed.Count, string.Join(", ", removed));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                AgentLog.RunnerFailed(_logger, new TaskId("(container cleanup)"), e);
            }
        }
    }

    /// <summary>Applies the server's overlay configuration off the command loop (launches onto an overlay wait for it).</summary>
    private async Task ApplyOverlaysAsync(OverlayConfigCommand config)
    {
        if (!Linux.UnixUser.IsRoot || _options.Driver == "fake")
        {
            return;
        }
        try
        {
            await Networks.Overlays.ApplyAsync(config, _stopping.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AgentLog.OverlayConfigFailed(_logger, e);
        }
    }

    /// <summary>Applies the server's VIPs off the command loop (a bad set is logged; the previous rules stay).</summary>
    private async Task ApplyVipsAsync(VipConfigCommand config)
    {
        if (!Linux.UnixUser.IsRoot || _options.Driver == "fake")
        {
            return;
        }
        try
        {
            _vips ??= new Launch.Networks.AgentVips(Networks, AgentId.Value, _logger);
            await _vips.ApplyAsync(config, _stopping.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AgentLog.VipConfigFailed(_logger, e);
        }
    }

    private Launch.Networks.AgentVips? _vips;

    /// <summary>Frees what tasks that are no longer running left in the host's networks (namespaces, addresses, mappings).</summary>
    private async Task CleanUpNetworksAsync(CancellationToken token)
    {
        if (_context.Pipeline.Steps.OfType<Launch.Networks.NetworkStep>().FirstOrDefault() is not { } step || !Linux.UnixUser.IsRoot)
        {
            return;
        }
        try
        {
            var live = _runners.Values.Where(r => !r.IsTerminal && r.Launch is not null).Select(r => r.TaskId.Value).ToList();
            var removed = await Launch.Networks.NetworkReconciler.ReconcileAsync(step, Networks, live, token);
            if (removed > 0)
            {
                AgentLog.OrphanNetworksRemoved(_logger, removed);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AgentLog.RunnerFailed(_logger, new TaskId("(network cleanup)"), e);
        }
    }

    private async Task ConnectLoopAsync(CancellationToken token)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!token.IsCancellationRequested)
        {
            Exception? failure = null;
            try
            {
                var tasks = _runners.Values.Where(r => r.Launch is not null).Select(r => r.Report()).ToArray();
                var response = await _gateway.RegisterAsync(new RegisterAgentRequest(ProtocolVersion.Current, _info, tasks), token);
                if (!response.Accepted)
                {
                    AgentLog.RegistrationRefused(_logger, response.Error);
                }
                else
                {
                    using var connection = CancellationTokenSource.CreateLinkedTokenSource(token);
                    _connection = connection;
                    // The server sets the pace (it knows its timeout); the option is for servers that do not say.
                    _heartbeatInterval = response.HeartbeatIntervalMs is > 0 and var ms ? TimeSpan.FromMilliseconds(ms) : _options.HeartbeatInterval;
                    _registered = true;
                    AgentLog.Registered(_logger, AgentId, tasks.Length);
                    backoff = TimeSpan.FromMilliseconds(200);
                    ResendAll();
                    _health.ResendAll();
                    await foreach (var command in _gateway.CommandsAsync(AgentId, connection.Token))
                    {
                        HandleSafely(command);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failure = e;
            }
            _registered = false;
            _connection = null;
            AgentLog.ConnectionLost(_logger, backoff, failure);
            try
            {
                await Task.Delay(backoff, _time, token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxReconnectBackoff.Ticks));
        }
    }

    /// <summary>
    /// Handles one command; a failure while doing so never ends the command loop (the next command, say a kill for
    /// another app, must still run). A failed launch or kill ends that task with TASK_ERROR and the error's message.
    /// </summary>
    private void HandleSafely(AgentCommand command)
    {
        try
        {
            Handle(command);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var taskId = command switch
            {
                LaunchTaskCommand launch => launch.Launch.TaskId,
                KillTaskCommand kill => kill.TaskId,
                _ => (TaskId?)null,
            };
            AgentLog.CommandFailed(_logger, command.GetType().Name, taskId?.Value ?? "-", e);
            if (taskId is { } id)
            {
                FailTask(id, "The agent could not handle the " + (command is LaunchTaskCommand ? "launch" : "kill") + ": " + e.Message);
            }
        }
    }

    /// <summary>Ends a task with TASK_ERROR: through its runner when the agent has one, else as a bare update.</summary>
    private void FailTask(TaskId taskId, string message)
    {
        try
        {
            if (_runners.TryGetValue(taskId, out var runner))
            {
                runner.Fail(TaskState.Error, TaskReasons.InvalidTask, message);
                return;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            AgentLog.RunnerFailed(_logger, taskId, e);
        }
        _outbox.Writer.TryWrite(new TaskStatusUpdate(_context.NewId(), AgentId, taskId, TaskState.Error, Core.Time.Timestamp.From(_time.GetUtcNow()), TaskReasons.InvalidTask, message));
    }

    private void Handle(AgentCommand command)
    {
        switch (command)
        {
            case LaunchTaskCommand launch:
                var runner = TaskRunner.ForLaunch(_context, _users.Resolve(launch.Launch));
                if (!_runners.TryAdd(runner.TaskId, runner))
                {
                    AgentLog.DuplicateLaunch(_logger, runner.TaskId);
                    break;
                }
                Track(runner, runner.RunAsync);
                break;
            case KillTaskCommand kill:
                if (!_runners.TryGetValue(kill.TaskId, out var target))
                {
                    var placeholder = TaskRunner.Placeholder(_context, kill.TaskId, TaskState.Gone, TaskReasons.Unknown, "Task unknown to the agent");
                    _runners.TryAdd(kill.TaskId, placeholder);
                }
                else if (!target.RequestKill(kill.GracePeriodSeconds))
                {
                    _outbox.Writer.TryWrite(target.CurrentStatus());
                }
                break;
            case AckStatusCommand ack:
                if (_runners.TryGetValue(ack.TaskId, out var acked) && acked.Acknowledge(ack.UpdateId))
                {
                    _runners.TryRemove(ack.TaskId, out _);
                    _checkpoint.Remove(ack.TaskId.Value);
                    acked.Dispose();
                }
                break;
            case UpdateTaskChecksCommand checks:
                _health.UpdateChecks(checks.TaskId, checks.HealthChecks);
                break;
            case StreamLogsCommand logs:
                _ = UploadLogsAsync(logs);
                break;
            case AgentQueryCommand query:
                _ = AnswerQueryAsync(query);
                break;
            case DestroyVolumesCommand destroy:
                try
                {
                    AgentLog.VolumesDestroyed(_logger, destroy.InstanceId.Value, _volumes.Destroy(destroy.VolumeIds));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    AgentLog.VolumesNotDestroyed(_logger, destroy.InstanceId.Value, e);
                }
                break;
            case OverlayConfigCommand overlays:
                _ = ApplyOverlaysAsync(overlays);
                break;
            case VipConfigCommand vips:
                _ = ApplyVipsAsync(vips);
                break;
            case ReconcileCommand reconcile:
                var ids = reconcile.TaskIds.IsEmpty ? _runners.Values.Where(r => r.Launch is not null).Select(r => r.TaskId) : reconcile.TaskIds;
                foreach (var id in ids)
                {
                    _outbox.Writer.TryWrite(_runners.TryGetValue(id, out var known)
                        ? known.CurrentStatus()
                        : new TaskStatusUpdate(_context.NewId(), AgentId, id, TaskState.Gone, Core.Time.Timestamp.From(_time.GetUtcNow()), TaskReasons.Reconciliation, "Task unknown to the agent"));
                }
                break;
        }
    }

    /// <summary>Answers a query off the command loop (a pull can take minutes).</summary>
    private async Task AnswerQueryAsync(AgentQueryCommand query)
    {
        try
        {
            await Task.Yield();
            var answer = await _queries.AnswerAsync(query, _stopping.Token);
            await _gateway.AnswerQueryAsync(query.RequestId, answer, _stopping.Token);
        }
        catch (Exception e)
        {
            AgentLog.QueryFailed(_logger, query.Query, e);
        }
    }

    /// <summary>Answers a log request off the command loop: a follow can last as long as the client reads.</summary>
    private async Task UploadLogsAsync(StreamLogsCommand request)
    {
        try
        {
            await Task.Yield();
            var token = _stopping.Token;
            var chunks = ReadAsync(request.TaskId, request.Stream, request.Tail, request.Follow, token);
            await _gateway.UploadLogsAsync(request.RequestId, chunks, token);
        }
        catch (Exception e)
        {
            // The server stopped reading (its client went away) or the agent is stopping: nothing to do.
            AgentLog.LogUploadEnded(_logger, request.TaskId, e);
        }
    }

    private void Track(TaskRunner runner, Func<Task> run)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await run();
            }
            catch (Exception e)
            {
                AgentLog.RunnerFailed(_logger, runner.TaskId, e);
                if (!runner.IsTerminal)
                {
                    runner.Fail(TaskState.Failed, TaskReasons.LaunchFailed, "The agent failed to run the task: " + e.Message);
                }
            }
        });
    }

    private async Task SendLoopAsync(CancellationToken token)
    {
        try
        {
            var batch = new List<TaskStatusUpdate>(MaxUpdatesPerRequest);
            while (await _outbox.Reader.WaitToReadAsync(token))
            {
                // Whatever is queued goes in one request (in order), so a burst costs one round trip, not one each.
                // A task's first updates (staging, starting, running) follow each other within milliseconds: waiting
                // a moment lets them travel together, and the server then stores the task once instead of three times.
                await Task.Delay(SendLinger, _time, token);
                batch.Clear();
                while (batch.Count < MaxUpdatesPerRequest && _outbox.Reader.TryRead(out var update))
                {
                    batch.Add(update);
                }
                await SendAsync(batch, token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendAsync(List<TaskStatusUpdate> updates, CancellationToken token)
    {
        try
        {
            if (updates.Count == 1)
            {
                await _gateway.ReportStatusAsync(updates[0], token);
            }
            else
            {
                await _gateway.ReportStatusesAsync(updates, token);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
        {
            // Not acknowledged, so resent later.
            AgentLog.SendFailed(_logger, updates[0].TaskId, e);
        }
    }

    private async Task ResendLoopAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.StatusUpdateRetryInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                if (_registered)
                {
                    ResendDue();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Queues every unacknowledged update, in order per task (after registering: the server may have none of them).</summary>
    private void ResendAll()
    {
        var now = Core.Time.Timestamp.From(_time.GetUtcNow());
        foreach (var runner in _runners.Values)
        {
            foreach (var update in runner.Unacked(now))
            {
                _outbox.Writer.TryWrite(update);
            }
        }
    }

    /// <summary>Queues the unacknowledged updates whose resend backoff has passed, in order per task.</summary>
    private void ResendDue()
    {
        var now = Core.Time.Timestamp.From(_time.GetUtcNow());
        foreach (var runner in _runners.Values)
        {
            foreach (var update in runner.DueForResend(now, _options.StatusUpdateRetryInterval, _options.StatusUpdateRetryMax))
            {
                _outbox.Writer.TryWrite(update);
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                if (timer.Period != _heartbeatInterval)
                {
                    timer.Period = _heartbeatInterval;
                }
                if (!_registered)
                {
                    continue;
                }
                try
                {
                    if (!await _gateway.HeartbeatAsync(AgentId, token) && _connection is { } connection)
                    {
                        // The server lost us (marked unreachable, or it restarted): register again to reconcile.
                        AgentLog.HeartbeatRefused(_logger);
                        await connection.CancelAsync();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    AgentLog.HeartbeatFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
