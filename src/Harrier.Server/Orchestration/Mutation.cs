using System.Collections.Immutable;
using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.Server.Cluster;
using Harrier.Server.Events;
using Harrier.State;

namespace Harrier.Server.Orchestration;

/// <summary>
/// One batch of changes being built on top of a snapshot: the new snapshot, which durable keys changed, and the
/// agent commands to send once the change is committed. Pure bookkeeping: no I/O happens here; the
/// <see cref="Orchestrator"/> commits <see cref="ToStateChange"/> and only then publishes and sends.
/// </summary>
internal sealed class Mutation(ClusterSnapshot start, Timestamp now)
{
    private readonly HashSet<PathId> _apps = [];
    private readonly HashSet<PathId> _groups = [];
    private readonly HashSet<InstanceId> _instances = [];
    private readonly HashSet<DeploymentId> _deployments = [];
    private readonly HashSet<AgentId> _agents = [];
    /// <summary>Agents put in this batch, durably or not (registrations, liveness, heartbeats).</summary>
    private readonly HashSet<AgentId> _agentsTouched = [];
    /// <summary>Apps whose instances, definition or health changed in this batch.</summary>
    private readonly HashSet<PathId> _changedApps = [];
    /// <summary>Apps whose definition changed or that gained, lost or re-goaled instances, or had one turn inactive or back.</summary>
    private readonly HashSet<PathId> _rescaleApps = [];
    private readonly List<(AgentId Agent, AgentCommand Command)> _outbox = [];
    private readonly List<ClusterEvent> _events = [];

    public ClusterSnapshot Snapshot { get; set; } = start;

    public Timestamp Now { get; } = now;

    public IReadOnlyList<(AgentId Agent, AgentCommand Command)> Outbox => _outbox;

    /// <summary>Instances put or removed so far in this batch (the live set: copy it before changing instances).</summary>
    public IReadOnlySet<InstanceId> TouchedInstances => _instances;

    /// <summary>Apps put or removed so far in this batch.</summary>
    public IReadOnlyCollection<PathId> TouchedApps => [.. _apps];

    /// <summary>Deployments put or removed so far in this batch.</summary>
    public IReadOnlyCollection<DeploymentId> TouchedDeployments => _deployments;

    /// <summary>Apps whose definition, instances or instances' health changed so far in this batch.</summary>
    public IReadOnlySet<PathId> ChangedApps => _changedApps;

    /// <summary>
    /// Apps the scale check must look at again: their definition changed, or an instance was added, removed, changed
    /// goal, or entered or left UnreachableInactive (what decides whether it counts). A status update that only moves
    /// an instance between other conditions changes no count.
    /// </summary>
    public IReadOnlySet<PathId> RescaleApps => _rescaleApps;

    /// <summary>Marks an app as changed without a durable change (its instances' health or readiness moved).</summary>
    public void Nudge(PathId app) => _changedApps.Add(app);

    public bool IsDurableChange => _apps.Count + _groups.Count + _instances.Count + _deployments.Count + _agents.Count > 0;

    public void PutApp(AppSpec app)
    {
        Snapshot = Snapshot with { Apps = Snapshot.Apps.SetItem(app.Id, app) };
        _apps.Add(app.Id);
        _changedApps.Add(app.Id);
        _rescaleApps.Add(app.Id);
    }

    public void RemoveApp(PathId id)
    {
        Snapshot = Snapshot with { Apps = Snapshot.Apps.Remove(id) };
        _apps.Add(id);
        _changedApps.Add(id);
        _rescaleApps.Add(id);
    }

    public void PutGroup(GroupNode group)
    {
        Snapshot = Snapshot with { Groups = Snapshot.Groups.SetItem(group.Id, group) };
        _groups.Add(group.Id);
    }

    public void RemoveGroup(PathId id)
    {
        Snapshot = Snapshot with { Groups = Snapshot.Groups.Remove(id) };
        _groups.Add(id);
    }

    public void PutInstance(Instance instance)
    {
        Track(instance);
        Snapshot = Snapshot.WithInstance(instance);
    }

    /// <summary><see cref="PutInstance"/> for many new or changed instances at once.</summary>
    public void PutInstances(IReadOnlyCollection<Instance> instances)
    {
        foreach (var instance in instances)
        {
            Track(instance);
        }
        Snapshot = Snapshot.WithInstances(instances);
    }

    /// <summary>The bookkeeping of an instance put, before the snapshot changes: events, touched keys, rescale.</summary>
    private void Track(Instance instance)
    {
        var known = Snapshot.Instances.TryGetValue(instance.Id, out var before);
        if (known && before!.Goal != instance.Goal)
        {
            _events.Add(new InstanceChangedEvent(Now, instance));
        }
        if (!known || before!.Goal != instance.Goal
            || (before.Condition == Condition.UnreachableInactive) != (instance.Condition == Condition.UnreachableInactive))
        {
            _rescaleApps.Add(instance.RunSpecId);
        }
        _instances.Add(instance.Id);
        _changedApps.Add(instance.RunSpecId);
    }

    public void RemoveInstance(InstanceId id)
    {
        if (Snapshot.Instances.TryGetValue(id, out var removed))
        {
            _changedApps.Add(removed.RunSpecId);
            _rescaleApps.Add(removed.RunSpecId);
        }
        Snapshot = Snapshot.WithoutInstance(id) with { KillsSent = Snapshot.KillsSent.Remove(id) };
        _instances.Add(id);
    }

    public void PutDeployment(DeploymentPlan plan)
    {
        var list = Snapshot.Deployments;
        var index = list.FindIndex(d => d.Id == plan.Id);
        Snapshot = Snapshot with { Deployments = index >= 0 ? list.SetItem(index, plan) : list.Add(plan) };
        _deployments.Add(plan.Id);
    }

    public void RemoveDeployment(DeploymentId id)
    {
        Snapshot = Snapshot with { Deployments = Snapshot.Deployments.RemoveAll(d => d.Id == id) };
        _deployments.Add(id);
    }

    /// <summary>Agents put so far in this batch, durably or not.</summary>
    public IReadOnlySet<AgentId> TouchedAgents => _agentsTouched;

    public void PutAgent(AgentStatus agent, bool durable)
    {
        Snapshot = Snapshot with { Agents = Snapshot.Agents.SetItem(agent.Info.Id, agent) };
        _agentsTouched.Add(agent.Info.Id);
        if (durable)
        {
            _agents.Add(agent.Info.Id);
        }
    }

    public void Send(AgentId agent, AgentCommand command) => _outbox.Add((agent, command));

    /// <summary>Events to publish once this batch is committed.</summary>
    public IReadOnlyList<ClusterEvent> Events => _events;

    public void Emit(ClusterEvent e) => _events.Add(e);

    /// <summary>Drops events emitted after <paramref name="count"/> (a refused command's).</summary>
    public void TruncateEvents(int count) => _events.RemoveRange(count, _events.Count - count);

    /// <summary>The durable difference: final values of every touched key (puts), or deletes where the key is gone; and,
    /// when apps or groups changed, the root group as it now is (<see cref="RootGroupVersions"/>).</summary>
    public StateChange ToStateChange()
    {
        var s = Snapshot;
        return new StateChange
        {
            PutApps = [.. _apps.Where(s.Apps.ContainsKey).Select(id => s.Apps[id])],
            DeleteApps = [.. _apps.Where(id => !s.Apps.ContainsKey(id))],
            PutGroups = [.. _groups.Where(s.Groups.ContainsKey).Select(id => s.Groups[id])],
            DeleteGroups = [.. _groups.Where(id => !s.Groups.ContainsKey(id))],
            PutInstances = [.. _instances.Where(s.Instances.ContainsKey).Select(id => s.Instances[id])],
            DeleteInstances = [.. _instances.Where(id => !s.Instances.ContainsKey(id))],
            PutDeployments = [.. s.Deployments.Where(d => _deployments.Contains(d.Id))],
            DeleteDeployments = [.. _deployments.Where(id => s.Deployments.All(d => d.Id != id))],
            PutAgents = [.. _agents.Where(s.Agents.ContainsKey).Select(id => s.Agents[id].Info)],
            DeleteAgents = [.. _agents.Where(id => !s.Agents.ContainsKey(id))],
            PutGroupVersions = _apps.Count + _groups.Count > 0 ? [RootGroupVersions.Of(s, Now)] : [],
        };
    }

    public ImmutableArray<Instance> InstancesOf(PathId appId) => [.. Snapshot.InstancesOf(appId)];
}
