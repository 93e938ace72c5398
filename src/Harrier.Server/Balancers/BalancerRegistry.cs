using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.Server.Agents;
using Microsoft.Extensions.Logging;

namespace Harrier.Server.Balancers;

/// <summary>
/// The balancers (<c>harrier lb</c>) registered with this server, and the kills held until they confirmed draining.
/// Owns: registrations (memory only: a balancer re-registers when told 404, and a restarted server holds nothing),
/// held kills, and one timer for hold deadlines and lease expiry. Reads: nothing. Emits: the held
/// <see cref="KillTaskCommand"/>s, to <see cref="AgentConnections"/>, once confirmed, timed out or released.
/// Callers: the orchestrator (through <see cref="KillGate"/>, after a batch is published) and the API. Every method is
/// short and under one lock, so the orchestrator's loop is never blocked behind a balancer; memory is bounded by the
/// balancers and the kills in flight, plus the released tasks remembered for <see cref="ReleasedMemory"/>.
/// Leadership: registrations live on the server that runs the orchestrator (with the embedded store, every server).
/// </summary>
public sealed partial class BalancerRegistry : IDisposable
{
    /// <summary>A balancer not heard from for this long is dropped and stops holding kills.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    /// <summary>How long a released kill is remembered, so the maintainer's retries of it are not held again.</summary>
    private static readonly TimeSpan ReleasedMemory = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, BalancerState> _balancers = new(StringComparer.Ordinal);
    private readonly Dictionary<TaskId, KillHold> _holds = [];
    private readonly PriorityQueue<KillHold, long> _deadlines = new();
    private readonly Dictionary<TaskId, long> _released = [];
    private readonly Queue<(TaskId Task, long At)> _releasedOrder = new();
    private readonly AgentConnections _agents;
    private readonly TimeProvider _time;
    private readonly ILogger<BalancerRegistry> _logger;
    private readonly ITimer _timer;

    public BalancerRegistry(AgentConnections agents, TimeProvider time, ILogger<BalancerRegistry> logger)
    {
        _agents = agents;
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private static int LeaseSeconds => (int)Lease.TotalSeconds;

    private Timestamp Now => Timestamp.From(_time.GetUtcNow());

    /// <summary>Kills held right now.</summary>
    public int HoldCount
    {
        get
        {
            lock (_lock)
            {
                return _holds.Count;
            }
        }
    }

    /// <summary>Registers a balancer, or refreshes one (new groups and stats URL; its pending drains stay).</summary>
    public BalancerRegistration Register(string id, IReadOnlyList<string> groups, string? statsUrl)
    {
        BalancerRegistration registration;
        bool added;
        lock (_lock)
        {
            var now = Now;
            added = !_balancers.TryGetValue(id, out var balancer);
            if (added)
            {
                balancer = new BalancerState(id, now);
                _balancers[id] = balancer;
            }
            balancer!.Groups = [.. groups];
            balancer.StatsUrl = statsUrl;
            balancer.LastSeenAt = now;
            registration = balancer.ToRegistration(LeaseSeconds);
            Reschedule();
        }
        if (added)
        {
            LogRegistered(id, string.Join(",", groups));
        }
        return registration;
    }

    public BalancerRegistration? Find(string id)
    {
        lock (_lock)
        {
            return _balancers.TryGetValue(id, out var balancer) ? balancer.ToRegistration(LeaseSeconds) : null;
        }
    }

    public IReadOnlyList<BalancerRegistration> List()
    {
        lock (_lock)
        {
            return [.. _balancers.Values.OrderBy(b => b.Id, StringComparer.Ordinal).Select(b => b.ToRegistration(LeaseSeconds))];
        }
    }

    /// <summary>Deregisters a balancer: kills that waited only for it go out at once. False when it was not registered.</summary>
    public bool Remove(string id)
    {
        List<KillHold> released;
        lock (_lock)
        {
            if (!_balancers.TryGetValue(id, out var balancer))
            {
                return false;
            }
            released = Drop(balancer);
            Reschedule();
        }
        Send(released);
        LogDeregistered(id);
        return true;
    }

    /// <summary>
    /// The drains waiting for this balancer's confirmation: at once when there are some, else as soon as one is
    /// requested, else an empty list after <paramref name="wait"/>. Null when the balancer is not registered (or was
    /// dropped meanwhile). Refreshes its lease; while the poll is open the lease does not run out.
    /// </summary>
    public async Task<IReadOnlyList<DrainRequest>?> WaitForDrainsAsync(string id, TimeSpan wait, CancellationToken cancellationToken)
    {
        Task signal;
        BalancerState balancer;
        lock (_lock)
        {
            if (!_balancers.TryGetValue(id, out balancer!))
            {
                return null;
            }
            balancer.LastSeenAt = Now;
            if (balancer.Pending.Count > 0 || wait <= TimeSpan.Zero)
            {
                Reschedule();
                return Drains(balancer);
            }
            balancer.Signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal = balancer.Signal.Task;
            balancer.ActivePolls++;
        }
        try
        {
            await signal.WaitAsync(wait, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Nothing to drain within the wait: an empty answer.
        }
        finally
        {
            lock (_lock)
            {
                balancer.ActivePolls--;
                balancer.LastSeenAt = Now;
                Reschedule();
            }
        }
        lock (_lock)
        {
            return _balancers.TryGetValue(id, out var current) && current == balancer ? Drains(balancer) : null;
        }
    }

    /// <summary>
    /// The balancer confirms it drained these tasks; a kill every balancer it waited for confirmed goes out. Returns
    /// how many of the ids were waiting for this balancer (others are ignored), or null when it is not registered.
    /// </summary>
    public int? Confirm(string id, IEnumerable<string> taskIds)
    {
        var released = new List<KillHold>();
        var confirmed = 0;
        lock (_lock)
        {
            if (!_balancers.TryGetValue(id, out var balancer))
            {
                return null;
            }
            balancer.LastSeenAt = Now;
            foreach (var raw in taskIds)
            {
                if (!balancer.Pending.Remove(new TaskId(raw), out var hold))
                {
                    continue;
                }
                confirmed++;
                hold.Waiting.Remove(id);
                if (hold.Waiting.Count == 0)
                {
                    End(hold, HoldOutcome.Confirmed);
                    released.Add(hold);
                }
            }
            Reschedule();
        }
        Send(released);
        return confirmed;
    }

    /// <summary>
    /// Holds <paramref name="command"/> for the balancers registered now whose groups <paramref name="fronts"/>
    /// matches. False (the caller sends it) when none does, or when this task's kill was already released (a retry).
    /// True for a retry of a kill still held: the held one goes out once, when the hold ends.
    /// </summary>
    internal bool TryHold(AgentId agent, KillTaskCommand command, InstanceId instance, Func<IReadOnlyList<string>, bool> fronts, Func<Timestamp, DrainRequest> request)
    {
        lock (_lock)
        {
            if (_holds.ContainsKey(command.TaskId))
            {
                return true;
            }
            if (_balancers.Count == 0 || _released.ContainsKey(command.TaskId))
            {
                return false;
            }
            var matching = _balancers.Values.Where(b => fronts(b.Groups)).ToList();
            if (matching.Count == 0)
            {
                return false;
            }
            var hold = new KillHold(agent, command, instance, request(Now));
            _holds[command.TaskId] = hold;
            _deadlines.Enqueue(hold, hold.Request.Deadline.UnixMilliseconds);
            foreach (var balancer in matching)
            {
                hold.Waiting.Add(balancer.Id);
                balancer.Pending[command.TaskId] = hold;
                balancer.Wake();
            }
            Reschedule();
            return true;
        }
    }

    /// <summary>Releases the holds of the given instances whose task is no longer there to kill (ended, relaunched, expunged).</summary>
    internal void ReleaseEnded(Func<KillHold, bool> ended)
    {
        List<KillHold> released;
        lock (_lock)
        {
            if (_holds.Count == 0)
            {
                return;
            }
            released = [.. _holds.Values.Where(ended)];
            foreach (var hold in released)
            {
                End(hold, HoldOutcome.Released);
            }
            if (released.Count > 0)
            {
                Reschedule();
            }
        }
        Send(released);
    }

    private void OnTimer()
    {
        var released = new List<KillHold>();
        var expired = new List<string>();
        lock (_lock)
        {
            var now = Now.UnixMilliseconds;
            foreach (var balancer in _balancers.Values.Where(b => b.ActivePolls == 0 && now - b.LastSeenAt.UnixMilliseconds >= Lease.TotalMilliseconds).ToList())
            {
                expired.Add(balancer.Id);
                released.AddRange(Drop(balancer));
            }
            while (_deadlines.TryPeek(out var hold, out var deadline) && (hold.Ended || deadline <= now))
            {
                _deadlines.Dequeue();
                if (!hold.Ended)
                {
                    LogHoldTimedOut(hold.Command.TaskId.Value, string.Join(",", hold.Waiting.Order(StringComparer.Ordinal)), (deadline - hold.Request.RequestedAt.UnixMilliseconds) / 1000.0);
                    End(hold, HoldOutcome.Timeout);
                    released.Add(hold);
                }
            }
            while (_releasedOrder.TryPeek(out var old) && now - old.At >= ReleasedMemory.TotalMilliseconds)
            {
                _releasedOrder.Dequeue();
                if (_released.TryGetValue(old.Task, out var at) && at == old.At)
                {
                    _released.Remove(old.Task);
                }
            }
            Reschedule();
        }
        foreach (var id in expired)
        {
            LogExpired(id, LeaseSeconds);
        }
        Send(released);
    }

    /// <summary>Removes a balancer (under the lock): its long polls end, and kills that waited only for it are released (returned).</summary>
    private List<KillHold> Drop(BalancerState balancer)
    {
        _balancers.Remove(balancer.Id);
        balancer.Wake();
        var released = new List<KillHold>();
        foreach (var hold in balancer.Pending.Values)
        {
            hold.Waiting.Remove(balancer.Id);
            if (hold.Waiting.Count == 0)
            {
                End(hold, HoldOutcome.Released);
                released.Add(hold);
            }
        }
        balancer.Pending.Clear();
        return released;
    }

    /// <summary>Ends a hold (under the lock): forgotten by every balancer, remembered as released, counted.</summary>
    private void End(KillHold hold, HoldOutcome outcome)
    {
        hold.Ended = true;
        _holds.Remove(hold.Command.TaskId);
        foreach (var id in hold.Waiting)
        {
            if (_balancers.TryGetValue(id, out var balancer))
            {
                balancer.Pending.Remove(hold.Command.TaskId);
            }
        }
        var now = Now.UnixMilliseconds;
        _released[hold.Command.TaskId] = now;
        _releasedOrder.Enqueue((hold.Command.TaskId, now));
        ServerMetrics.BalancerHoldsEnded.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));
        ServerMetrics.BalancerHoldDuration.Record(Math.Max(0, now - hold.Request.RequestedAt.UnixMilliseconds) / 1000.0);
    }

    /// <summary>Sets the timer (under the lock) to the next hold deadline, lease expiry or released-memory cleanup.</summary>
    private void Reschedule()
    {
        long? next = null;
        while (_deadlines.TryPeek(out var hold, out _) && hold.Ended)
        {
            _deadlines.Dequeue();
        }
        if (_deadlines.TryPeek(out _, out var due))
        {
            next = due;
        }
        foreach (var balancer in _balancers.Values)
        {
            if (balancer.ActivePolls == 0)
            {
                var expires = balancer.LastSeenAt.UnixMilliseconds + (long)Lease.TotalMilliseconds;
                next = next is { } n ? Math.Min(n, expires) : expires;
            }
        }
        if (_releasedOrder.TryPeek(out var oldest))
        {
            var forget = oldest.At + (long)ReleasedMemory.TotalMilliseconds;
            next = next is { } n ? Math.Min(n, forget) : forget;
        }
        _timer.Change(next is { } at ? TimeSpan.FromMilliseconds(Math.Max(0, at - Now.UnixMilliseconds)) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private static List<DrainRequest> Drains(BalancerState balancer) => [.. balancer.Pending.Values.Select(h => h.Request)];

    /// <summary>Sends released kills (outside the lock). An agent without a stream drops it; the maintainer's retry then passes.</summary>
    private void Send(List<KillHold> released)
    {
        foreach (var hold in released)
        {
            _agents.Send(hold.Agent, hold.Command);
        }
    }

    public void Dispose() => _timer.Dispose();

    [LoggerMessage(1, LogLevel.Information, "Balancer {Balancer} registered for groups {Groups}")]
    private partial void LogRegistered(string balancer, string groups);

    [LoggerMessage(2, LogLevel.Information, "Balancer {Balancer} deregistered")]
    private partial void LogDeregistered(string balancer);

    [LoggerMessage(3, LogLevel.Warning, "Balancer {Balancer} was not heard from for {Seconds} s: dropped, its held kills released")]
    private partial void LogExpired(string balancer, int seconds);

    [LoggerMessage(4, LogLevel.Warning, "Kill of task {Task} proceeds after {Seconds} s without a drain confirmation from balancer(s) {Balancers}")]
    private partial void LogHoldTimedOut(string task, string balancers, double seconds);
}
