using System.Collections.Immutable;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Protocol;
using Harrier.Scheduling;
using Harrier.Server.Cluster;

namespace Harrier.Server.Orchestration;

/// <summary>
/// Places scheduled instances whose backoff has passed on connected agents (the pure <see cref="Placer"/> decides)
/// and turns each placement into a Provisioned instance plus a launch command. Unplaced instances stay scheduled,
/// and the reasons are kept for <c>/v2/queue</c>.
/// </summary>
internal sealed class Launcher(ServerOptions options, Random random)
{
    public void Launch(Mutation m)
    {
        var pending = m.Snapshot.Scheduled
            .Select(id => m.Snapshot.Instances[id])
            .Where(i => i.Goal == Goal.Running)
            .GroupBy(i => i.RunSpecId)
            .ToList();
        DropStaleReasons(m, pending.Select(g => g.Key));
        if (pending.Count == 0)
        {
            return;
        }
        var requests = new List<PlacementRequest>(pending.Count);
        var pinned = new List<PlacementRequest>();
        foreach (var group in pending)
        {
            if (!m.Snapshot.Apps.TryGetValue(group.Key, out var app))
            {
                continue;
            }
            if (m.Snapshot.Delays.TryGetValue(app.Id, out var delay) && delay.ConfigVersion == app.VersionInfo.LastConfigChangeAt
                && !Backoff.IsOverdue(delay.Delay, m.Now))
            {
                SetReason(m, app.Id, BackoffReason(m, app, delay.Delay.Deadline.ToString()));
                continue;
            }
            var existing = m.Snapshot.InstancesOf(app.Id);
            if (app.IsResident || group.Any(i => i.HoldsReservation))
            {
                // Resident: an instance that holds a reservation goes back to its agent alone; a new one needs room
                // for its volumes as well (they are reserved where it lands).
                pinned.AddRange(group.Where(i => i.HoldsReservation).Select(i => new PlacementRequest(app, [i], [.. existing])));
                var fresh = group.Where(i => !i.HoldsReservation).OrderBy(i => i.Since).ToList();
                if (fresh.Count > 0)
                {
                    requests.Add(new PlacementRequest(app with { Disk = app.Disk + app.PersistentVolumeMiB }, fresh, [.. existing]));
                }
                continue;
            }
            requests.Add(new PlacementRequest(app, [.. group.OrderBy(i => i.Since)], [.. existing]));
        }
        if (requests.Count == 0 && pinned.Count == 0)
        {
            return;
        }
        // One pass places every app against one view of the agents: each app sees what the ones before it took.
        // Reserved instances go first, each against its own agent only, and what they take is gone for the rest.
        var capacity = Capacity(m.Snapshot);
        var pinnedResults = new List<PlacementResult>(pinned.Count);
        foreach (var request in pinned)
        {
            var agent = request.ToPlace[0].AgentId!.Value;
            if (!capacity.TryGetValue(agent, out var own))
            {
                pinnedResults.Add(ReservationUnavailable(request));
                continue;
            }
            var result = Placer.PlaceEach([own], [request], random, isClusterNetwork: options.IsClusterNetwork)[0];
            pinnedResults.Add(result);
            foreach (var placement in result.Placed)
            {
                capacity[agent] = own = own with
                {
                    Used = own.Used + Need(request.App),
                    UsedPorts = new HashSet<int>(own.UsedPorts.Concat(placement.HostPorts)),
                };
            }
        }
        var agents = capacity.Values.ToList();
        var results = Placer.PlaceEach(agents, requests, random, isClusterNetwork: options.IsClusterNetwork);
        requests.AddRange(pinned);
        results = [.. results, .. pinnedResults];
        var launchedNow = new List<Instance>();
        for (var r = 0; r < requests.Count; r++)
        {
            var app = requests[r].App;
            var result = results[r];
            foreach (var placement in result.Placed)
            {
                var instance = m.Snapshot.Instances[placement.Instance];
                var launched = instance with
                {
                    Condition = Condition.Provisioned,
                    Since = m.Now,
                    AgentId = placement.Agent,
                    Host = placement.Hostname,
                    Incarnation = instance.Incarnation + 1,
                    HostPorts = new ValueList<int>(placement.HostPorts),
                    RunSpecVersion = app.Version,
                    StagedAt = m.Now,
                    StartedAt = null,
                    ActiveSince = null,
                    Healthy = null,
                    Message = null,
                    IpAddresses = ValueList<string>.Empty,
                    LocalVolumes = instance.HoldsReservation || !app.IsResident
                        ? instance.LocalVolumes
                        : new ValueList<string>([.. app.PersistentVolumes.Select(v => v.ContainerPath)]),
                };
                launchedNow.Add(launched);
                m.Send(placement.Agent, new LaunchTaskCommand(BuildLaunch(app, launched, placement.Hostname)));
            }
            RecordQueueStats(m, app.Id, agents.Count, result);
            SetReason(m, app.Id, result.Placed.Count == requests[r].ToPlace.Count ? null : NoNetwork(m, app, agents.Count, requests[r].ToPlace.Count - result.Placed.Count, result) ?? Unplaced(m, agents.Count, result));
        }
        m.PutInstances(launchedNow);
        if (!m.Snapshot.KillsSent.IsEmpty)
        {
            m.Snapshot = m.Snapshot with { KillsSent = m.Snapshot.KillsSent.RemoveRange(launchedNow.Select(i => i.Id)) };
        }
    }

    /// <summary>A reserved instance whose agent is not connected waits for it: Marathon's reject reason.</summary>
    private static PlacementResult ReservationUnavailable(PlacementRequest request) =>
        new([], new Dictionary<string, int> { ["NoCorrespondingReservationFound"] = request.ToPlace.Count });

    /// <summary>
    /// Why an app in backoff waits: its last task's image could not be pulled (<c>ImagePullFailed</c>, with the image
    /// and the cause), or plain <c>Backoff</c>.
    /// </summary>
    private static WaitReason BackoffReason(Mutation m, AppSpec app, string until)
    {
        if (m.Snapshot.LastFailures.TryGetValue(app.Id, out var failure) && failure.Reason == TaskStatusReasons.ImagePullFailed
            && failure.Version == app.Version && app.Container?.Docker?.Image is { } image)
        {
            return WaitReason.Of("ImagePullFailed", m.Now, $"{failure.Cause}; next attempt after backoff, at {until}",
                ("image", image), ("cause", failure.Cause ?? ""), ("until", until));
        }
        return WaitReason.Of("Backoff", m.Now, $"launch delayed by backoff until {until}", ("until", until));
    }

    /// <summary>When no connected agent offers a named network the app joins: that, naming the networks.</summary>
    private WaitReason? NoNetwork(Mutation m, AppSpec app, int agents, int unplaced, PlacementResult result)
    {
        if (agents == 0 || unplaced == 0 || result.RejectReasons.GetValueOrDefault(RejectReason.NetworkUnavailable) < unplaced * agents)
        {
            return null;
        }
        var offered = m.Snapshot.Agents.Values.Where(a => a.Connected).SelectMany(a => a.Info.Networks).ToHashSet(StringComparer.Ordinal);
        var missing = app.Networks
            .Where(n => n.Mode == NetworkMode.Container && n.Name is { } name && !offered.Contains(name) && !options.IsClusterNetwork(name))
            .Select(n => n.Name!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var names = missing.Count > 0 ? missing : [.. app.Networks.Where(n => n.Name is not null).Select(n => n.Name!)];
        return WaitReason.Of(
            RejectReason.NetworkUnavailable,
            m.Now,
            $"no agent offers network {string.Join(", ", names.Select(n => $"'{n}'"))}",
            ("networks", string.Join(",", names)),
            ("rejects", RejectReason.NetworkUnavailable));
    }

    private static WaitReason Unplaced(Mutation m, int agents, PlacementResult result)
    {
        if (agents == 0)
        {
            return WaitReason.Of("InsufficientResources", m.Now, "no agent is connected", ("resources", ""));
        }
        var reasons = result.RejectReasons.Where(r => r.Value > 0).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        var resources = reasons.Where(r => r.StartsWith("Insufficient", StringComparison.Ordinal)).Select(r => r["Insufficient".Length..].ToLowerInvariant()).ToList();
        // Named after what excluded agents: resources when any agent lacked them, else the constraint or role filter.
        var type = resources.Count > 0 || reasons.Count == 0 ? "InsufficientResources"
            : reasons.Contains("UnfulfilledConstraint") ? "UnfulfilledConstraint"
            : reasons[0];
        var constraints = result.ConstraintRejects.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} excludes {c.Value} of {agents} agents").ToList();
        return WaitReason.Of(
            type,
            m.Now,
            $"no agent can take it: {string.Join(", ", reasons.Select(r => $"{r} ({result.RejectReasons[r]})"))}"
                + (constraints.Count > 0 ? "; " + string.Join("; ", constraints) : ""),
            ("resources", string.Join(",", resources)),
            ("rejects", string.Join(",", reasons)),
            ("constraints", string.Join(",", result.ConstraintRejects.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))));
    }

    /// <summary>Records why an app's instances are still waiting (null: they are not), keeping when that began.</summary>
    private static void SetReason(Mutation m, PathId appId, WaitReason? reason)
    {
        var reasons = m.Snapshot.QueueReasons;
        var before = reasons.GetValueOrDefault(appId);
        if (reason is null)
        {
            if (before is not null)
            {
                m.Snapshot = m.Snapshot with { QueueReasons = reasons.Remove(appId) };
            }
            return;
        }
        if (!reason.SameAs(before))
        {
            m.Snapshot = m.Snapshot with { QueueReasons = reasons.SetItem(appId, reason.Continuing(before)) };
        }
    }

    private static void DropStaleReasons(Mutation m, IEnumerable<PathId> pending)
    {
        if (m.Snapshot.QueueReasons.IsEmpty)
        {
            return;
        }
        var keep = pending.ToHashSet();
        var stale = m.Snapshot.QueueReasons.Keys.Where(k => !keep.Contains(k)).ToList();
        if (stale.Count > 0)
        {
            m.Snapshot = m.Snapshot with { QueueReasons = m.Snapshot.QueueReasons.RemoveRange(stale) };
        }
    }

    private void RecordQueueStats(Mutation m, PathId appId, int agents, PlacementResult result)
    {
        var before = m.Snapshot.Queue.TryGetValue(appId, out var q) ? q : QueueStats.Empty;
        var unplaced = result.RejectReasons.Count > 0;
        var stats = before with
        {
            ProcessedOffers = before.ProcessedOffers + agents,
            UnusedOffers = before.UnusedOffers + (unplaced ? agents : 0),
            LastUnusedOfferAt = unplaced ? m.Now : before.LastUnusedOfferAt,
            LastUsedOfferAt = result.Placed.Count > 0 ? m.Now : before.LastUsedOfferAt,
            RejectReasons = unplaced ? result.RejectReasons.ToImmutableDictionary() : before.RejectReasons,
        };
        m.Snapshot = m.Snapshot with { Queue = m.Snapshot.Queue.SetItem(appId, stats) };
    }

    private TaskLaunch BuildLaunch(AppSpec app, Instance instance, string host)
    {
        var taskId = instance.TaskId!.Value;
        var env = TaskEnvironment.Build(app, taskId, host, instance.HostPorts.Items, null, random);
        return new TaskLaunch
        {
            TaskId = taskId,
            InstanceId = instance.Id,
            AppId = app.Id,
            AppVersion = app.Version,
            Shell = app.Cmd,
            Argv = app.Cmd is null ? app.Args : ValueList<string>.Empty,
            User = app.User,
            Environment = new ValueMap<string>(env),
            Resources = Need(app),
            Limits = app.ResourceLimits,
            HostPorts = instance.HostPorts,
            Fetch = app.Fetch,
            KillGracePeriodSeconds = app.TaskKillGracePeriodSeconds ?? options.DefaultKillGracePeriodSeconds,
            Labels = app.Labels,
            HealthChecks = HealthChecksFor(app, instance.HostPorts),
            Readiness = ReadinessFor(app, instance.HostPorts),
            Container = TaskContainerBuilder.For(app, instance, taskId),
        };
    }

    /// <summary>Each check with its port resolved: a fixed <c>port</c>, else the port at <c>portIndex</c> (default 0).</summary>
    internal static ValueList<TaskHealthCheck> HealthChecksFor(AppSpec app, ValueList<int> hostPorts) =>
        new([.. app.HealthChecks.Select((check, index) => new TaskHealthCheck(
            index,
            check,
            check.Protocol == HealthCheckProtocol.Command ? null : check.Port ?? ProbedPort(app, hostPorts, check.PortIndex ?? 0)))]);

    /// <summary>
    /// The port a check of the app's <paramref name="index"/>-th port probes, as Marathon and Mesos pick it: the host port
    /// when the port has one (host networking, bridge, a container-network mapping with <c>hostPort</c>), else the
    /// mapping's container port, which the agent probes on the task's own address.
    /// </summary>
    internal static int? ProbedPort(AppSpec app, ValueList<int> hostPorts, int index)
    {
        if (app.IsHostNetworking || app.NetworkMode == NetworkMode.ContainerBridge)
        {
            return PortAt(hostPorts, index);
        }
        var mappings = app.Container?.PortMappings ?? ValueList<PortMapping>.Empty;
        if (index < 0 || index >= mappings.Count)
        {
            return null;
        }
        return mappings[index].HostPort is not null ? PortAt(hostPorts, mappings.Take(index).Count(m => m.HostPort is not null)) : mappings[index].ContainerPort;
    }

    /// <summary>The readiness check (at most one) with the host port of its <c>portName</c>; none if that port is unknown.</summary>
    private static TaskReadinessCheck? ReadinessFor(AppSpec app, ValueList<int> hostPorts)
    {
        if (app.ReadinessChecks.IsEmpty)
        {
            return null;
        }
        var check = app.ReadinessChecks[0];
        var names = app.NetworkMode == NetworkMode.Host
            ? app.PortDefinitions.Select(p => p.Name)
            : (app.Container?.PortMappings ?? ValueList<PortMapping>.Empty).Select(p => p.Name);
        var index = names.Select((name, i) => (name, i)).FirstOrDefault(p => p.name == check.PortName, (null, -1)).i;
        return ProbedPort(app, hostPorts, index) is { } port ? new TaskReadinessCheck(check, port) : null;
    }

    private static int? PortAt(ValueList<int> ports, int index) => index >= 0 && index < ports.Count ? ports[index] : null;

    private static ResourceVector Need(AppSpec app) => new(app.Cpus, app.Mem, app.Disk, app.Gpus);

    /// <summary>Free capacity per connected agent: what every live task placed on it uses, whatever its goal. Draining
    /// and drained agents are marked so the placer gives them nothing.</summary>
    internal static Dictionary<AgentId, AgentCapacity> Capacity(ClusterSnapshot snapshot)
    {
        var usage = AgentUsage.Of(snapshot);
        return snapshot.Agents.Values
            .Where(a => a.Connected)
            .ToDictionary(
                a => a.Info.Id,
                a => usage.TryGetValue(a.Info.Id, out var u)
                    ? new AgentCapacity(a.Info, u.Used, u.Ports, a.Info.Mode != AgentMode.Active)
                    : new AgentCapacity(a.Info, ResourceVector.Zero, new HashSet<int>(), a.Info.Mode != AgentMode.Active));
    }
}
