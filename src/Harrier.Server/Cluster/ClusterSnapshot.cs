using System.Collections.Immutable;
using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Time;
using Harrier.Server.Health;

namespace Harrier.Server.Cluster;

/// <summary>
/// An immutable view of the whole cluster. The orchestrator is its only writer and publishes a new snapshot
/// after each committed batch; every reader (API, metrics) reads the latest one without locks.
/// Durable parts (apps, groups, instances, deployments, agents) mirror the store; the rest (backoff delays, queue
/// stats, last failures, connection state) are in memory, as in Marathon.
/// </summary>
public sealed record ClusterSnapshot
{
    public ImmutableSortedDictionary<PathId, AppSpec> Apps { get; init; } = ImmutableSortedDictionary<PathId, AppSpec>.Empty;
    public ImmutableSortedDictionary<PathId, GroupNode> Groups { get; init; } = ImmutableSortedDictionary<PathId, GroupNode>.Empty;
    public ImmutableDictionary<InstanceId, Instance> Instances { get; init; } = ImmutableDictionary<InstanceId, Instance>.Empty;
    /// <summary>Instance ids per app, so per-app reads do not scan every instance.</summary>
    public ImmutableDictionary<PathId, ImmutableSortedSet<InstanceId>> InstancesByApp { get; init; } = ImmutableDictionary<PathId, ImmutableSortedSet<InstanceId>>.Empty;
    /// <summary>Instances waiting to be placed (condition Scheduled), so the launcher does not scan every instance.</summary>
    public ImmutableHashSet<InstanceId> Scheduled { get; init; } = ImmutableHashSet<InstanceId>.Empty;
    /// <summary>Running deployments in the order they were created.</summary>
    public ImmutableList<DeploymentPlan> Deployments { get; init; } = [];
    public ImmutableDictionary<AgentId, AgentStatus> Agents { get; init; } = ImmutableDictionary<AgentId, AgentStatus>.Empty;
    /// <summary>Launch backoff per app and config version (<c>lastConfigChangeAt</c>).</summary>
    public ImmutableDictionary<PathId, AppDelay> Delays { get; init; } = ImmutableDictionary<PathId, AppDelay>.Empty;
    /// <summary>When a kill was last sent for an instance (kills are re-sent if they do not take effect).</summary>
    public ImmutableDictionary<InstanceId, Timestamp> KillsSent { get; init; } = ImmutableDictionary<InstanceId, Timestamp>.Empty;
    public ImmutableDictionary<PathId, QueueStats> Queue { get; init; } = ImmutableDictionary<PathId, QueueStats>.Empty;
    public ImmutableDictionary<PathId, TaskFailure> LastFailures { get; init; } = ImmutableDictionary<PathId, TaskFailure>.Empty;
    /// <summary>Agents' latest check reports per instance (in memory only, like Marathon's health state).</summary>
    public ImmutableDictionary<InstanceId, InstanceHealth> Health { get; init; } = ImmutableDictionary<InstanceId, InstanceHealth>.Empty;
    public HealthBreakerState HealthBreaker { get; init; } = HealthBreakerState.Initial;
    /// <summary>What each running deployment action waits for, by deployment and app.</summary>
    public ImmutableDictionary<(DeploymentId Deployment, PathId App), WaitReason> DeploymentReasons { get; init; } = ImmutableDictionary<(DeploymentId, PathId), WaitReason>.Empty;
    /// <summary>Why each app with instances to launch is still waiting.</summary>
    public ImmutableDictionary<PathId, WaitReason> QueueReasons { get; init; } = ImmutableDictionary<PathId, WaitReason>.Empty;
    /// <summary>Live tasks agents run that belong to no known instance, by task id (in memory; agents report them again).</summary>
    public ImmutableDictionary<TaskId, Orphan> Orphans { get; init; } = ImmutableDictionary<TaskId, Orphan>.Empty;
    /// <summary>Tasks of unreachable instances this server expunged, with when: if one comes back it is killed at once.</summary>
    public ImmutableDictionary<TaskId, Timestamp> ExpungedTasks { get; init; } = ImmutableDictionary<TaskId, Timestamp>.Empty;
    /// <summary>Instances per condition and unhealthy instances, kept with every instance change.</summary>
    public InstanceTally Tally { get; init; } = InstanceTally.Empty;
    /// <summary>Every VIP with its backends (in memory: recomputed from the apps and instances after a restart).</summary>
    public Discovery.VipDirectory Vips { get; init; } = Discovery.VipDirectory.Empty;
    /// <summary>Monotonic counter of published snapshots (for tests and watchers).</summary>
    public long Sequence { get; init; }

    public IEnumerable<Instance> InstancesOf(PathId appId) =>
        InstancesByApp.TryGetValue(appId, out var ids) ? ids.Select(id => Instances[id]) : [];

    public IEnumerable<DeploymentPlan> DeploymentsAffecting(PathId appId) =>
        Deployments.Where(d => d.AffectedRunSpecs.Contains(appId));

    public ClusterSnapshot WithInstance(Instance instance)
    {
        var byApp = InstancesByApp.TryGetValue(instance.RunSpecId, out var ids) ? ids : ImmutableSortedSet<InstanceId>.Empty.WithComparer(InstanceIdComparer.Instance);
        // Health belongs to one live task: it goes when the task ends or a new incarnation starts.
        var health = Health.TryGetValue(instance.Id, out var h) && (!instance.Condition.IsActive() || instance.TaskId != h.TaskId)
            ? Health.Remove(instance.Id)
            : Health;
        var known = Instances.TryGetValue(instance.Id, out var before);
        var wasScheduled = known && before!.Condition == Condition.Scheduled;
        var isScheduled = instance.Condition == Condition.Scheduled;
        return this with
        {
            Health = health,
            Tally = Tally.Apply(before, instance),
            Scheduled = wasScheduled == isScheduled ? Scheduled : isScheduled ? Scheduled.Add(instance.Id) : Scheduled.Remove(instance.Id),
            Instances = Instances.SetItem(instance.Id, instance),
            InstancesByApp = known ? InstancesByApp : InstancesByApp.SetItem(instance.RunSpecId, byApp.Add(instance.Id)),
        };
    }

    /// <summary>
    /// <see cref="WithInstance"/> for many at once (a scale-up, a launch pass): one builder per collection instead of a
    /// new snapshot per instance.
    /// </summary>
    public ClusterSnapshot WithInstances(IReadOnlyCollection<Instance> instances)
    {
        if (instances.Count < 8)
        {
            return instances.Aggregate(this, (s, i) => s.WithInstance(i));
        }
        var all = Instances.ToBuilder();
        var scheduled = Scheduled.ToBuilder();
        var health = Health.ToBuilder();
        var byApp = new Dictionary<PathId, ImmutableSortedSet<InstanceId>.Builder>();
        var tally = Tally.ToBuilder();
        foreach (var instance in instances)
        {
            var known = all.TryGetValue(instance.Id, out var before);
            tally.Apply(known ? before : null, instance);
            if (health.Count > 0 && health.TryGetValue(instance.Id, out var h) && (!instance.Condition.IsActive() || instance.TaskId != h.TaskId))
            {
                health.Remove(instance.Id);
            }
            var wasScheduled = known && before!.Condition == Condition.Scheduled;
            if (wasScheduled != (instance.Condition == Condition.Scheduled))
            {
                if (wasScheduled)
                {
                    scheduled.Remove(instance.Id);
                }
                else
                {
                    scheduled.Add(instance.Id);
                }
            }
            all[instance.Id] = instance;
            if (known)
            {
                // An instance id names its app: a known instance is already in its app's set.
                continue;
            }
            if (!byApp.TryGetValue(instance.RunSpecId, out var ids))
            {
                ids = (InstancesByApp.TryGetValue(instance.RunSpecId, out var existing) ? existing : ImmutableSortedSet<InstanceId>.Empty.WithComparer(InstanceIdComparer.Instance)).ToBuilder();
                byApp[instance.RunSpecId] = ids;
            }
            ids.Add(instance.Id);
        }
        var apps = InstancesByApp.ToBuilder();
        foreach (var (app, ids) in byApp)
        {
            apps[app] = ids.ToImmutable();
        }
        return this with
        {
            Instances = all.ToImmutable(),
            Tally = tally.ToTally(),
            Scheduled = scheduled.ToImmutable(),
            Health = health.ToImmutable(),
            InstancesByApp = apps.ToImmutable(),
        };
    }

    public ClusterSnapshot WithoutInstance(InstanceId id)
    {
        if (!Instances.TryGetValue(id, out var instance))
        {
            return this;
        }
        var ids = InstancesByApp[instance.RunSpecId].Remove(id);
        return this with
        {
            Instances = Instances.Remove(id),
            Tally = Tally.Apply(instance, null),
            Scheduled = Scheduled.Remove(id),
            Health = Health.Remove(id),
            InstancesByApp = ids.IsEmpty ? InstancesByApp.Remove(instance.RunSpecId) : InstancesByApp.SetItem(instance.RunSpecId, ids),
        };
    }

    /// <summary>SIGTERM → SIGKILL grace for an instance's task: the app's <c>taskKillGracePeriodSeconds</c>, else the default.</summary>
    public int KillGraceSeconds(Instance instance, int fallback) =>
        Apps.TryGetValue(instance.RunSpecId, out var app) && app.TaskKillGracePeriodSeconds is { } g ? g : fallback;

    public Instance? FindByTask(TaskId taskId) =>
        taskId.Instance is { } iid && Instances.TryGetValue(iid, out var inst) ? inst : null;
}
