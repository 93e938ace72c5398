using System.Collections.Immutable;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Protocol;
using Harrier.Server.Cluster;
using Harrier.Server.Orchestration;

namespace Harrier.Server.Discovery;

/// <summary>
/// The VIPs' control plane, run in every batch after the control pass: the apps a batch touched (their definition or
/// one of their instances) get their VIP backends recomputed; when any VIP changed, the new directory goes into the
/// snapshot and every connected agent gets the whole set (<see cref="VipConfigCommand"/>), as it does at registration.
/// A batch's cost follows the apps it touched, not the cluster.
/// </summary>
internal sealed class VipAssigner(DiscoveryOptions options)
{
    /// <summary>Per app: each VIP key it declares with its backends.</summary>
    private readonly Dictionary<PathId, Dictionary<string, (AppVipPort Port, string Address, ImmutableArray<VipBackend> Backends)>> _apps = [];

    /// <summary>Per VIP key: the apps declaring it.</summary>
    private readonly Dictionary<string, SortedSet<PathId>> _declaredBy = new(StringComparer.Ordinal);

    /// <summary>Named VIPs' addresses, dcos-net's rule over the VIP range (its network and broadcast addresses left out).</summary>
    private readonly Harrier.Dns.Vips.NamedVipAllocator _addresses = new(options.VipCidr.At(1), options.VipCidr.At(options.VipCidr.Size - 2));

    private bool _loaded;

    /// <summary>Forget what was worked out (a batch was discarded): the next batch recomputes every app.</summary>
    public void Reset()
    {
        _loaded = false;
        _apps.Clear();
        _declaredBy.Clear();
        _instanceApps.Clear();
    }

    public void Update(Mutation m)
    {
        IEnumerable<PathId> apps;
        var fresh = !_loaded;
        if (fresh)
        {
            // The first batch: every app, in id order (so named VIPs get the same addresses after a restart).
            _loaded = true;
            apps = [.. m.Snapshot.Apps.Keys];
        }
        else
        {
            var touched = new HashSet<PathId>(m.TouchedApps);
            foreach (var id in m.TouchedInstances)
            {
                if (m.Snapshot.Instances.TryGetValue(id, out var instance))
                {
                    touched.Add(instance.RunSpecId);
                }
                else if (_instanceApps.Remove(id, out var app))
                {
                    touched.Add(app);
                }
            }
            apps = touched.Order();
        }
        var changedKeys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var app in apps)
        {
            Recompute(m.Snapshot, app, changedKeys);
        }
        if (changedKeys.Count == 0 && (!fresh || m.Snapshot.Vips.Vips.IsEmpty))
        {
            return;
        }
        // Fresh: the directory is rebuilt from the apps alone (whatever an earlier, discarded batch left goes).
        var vips = fresh ? VipDirectory.Empty.Vips.ToBuilder() : m.Snapshot.Vips.Vips.ToBuilder();
        List<string>? goneNames = null;
        foreach (var key in changedKeys)
        {
            if (!_declaredBy.TryGetValue(key, out var declaring) || declaring.Count == 0)
            {
                _declaredBy.Remove(key);
                if (vips.TryGetValue(key, out var gone) && gone.Name is not null)
                {
                    (goneNames ??= []).Add(gone.Label);
                }
                vips.Remove(key);
                continue;
            }
            Vip? vip = null;
            var backends = ImmutableArray.CreateBuilder<VipBackend>();
            foreach (var app in declaring)
            {
                var (port, address, appBackends) = _apps[app][key];
                vip ??= new Vip(port.Label.Host, port.Label.IsNamed ? Harrier.Dns.Vips.L4lbName.DnsName(port.Label.Host, options.Framework) : null, address, port.Label.Port, port.Protocol, []);
                backends.AddRange(appBackends);
            }
            vips[key] = vip! with { Backends = backends.ToImmutable() };
        }
        // A named VIP's address is free again once no port of any app names it (dcos-net drops the mapping then too).
        foreach (var label in goneNames ?? [])
        {
            if (!vips.Values.Any(v => v.Name is not null && v.Label == label))
            {
                _addresses.Release(label, options.Framework);
            }
        }
        var directory = new VipDirectory(m.Snapshot.Vips.Version + 1, vips.ToImmutable());
        m.Snapshot = m.Snapshot with { Vips = directory };
        var command = ConfigOf(directory, options.VipCidr.ToString());
        foreach (var agent in m.Snapshot.Agents.Values)
        {
            if (agent.Connected && !agent.Lost)
            {
                m.Send(agent.Info.Id, command);
            }
        }
    }

    /// <summary>A (re-)registered agent gets the whole set at once.</summary>
    public void Registered(Mutation m, AgentId agent) => m.Send(agent, ConfigOf(m.Snapshot.Vips, options.VipCidr.ToString()));

    public static VipConfigCommand ConfigOf(VipDirectory directory, string? range) => new(directory.Version, new ValueList<VipEntry>(
        directory.Vips.Values.Select(v => new VipEntry(v.Address, v.Port, v.Protocol, new ValueList<VipBackendEntry>(
            v.Backends.Select(b => new VipBackendEntry(b.Address, b.Port, b.Weight, b.Agent?.Value)))))), range);

    /// <summary>Instance → app, for instances removed from the snapshot in a batch.</summary>
    private readonly Dictionary<InstanceId, PathId> _instanceApps = [];

    private void Recompute(ClusterSnapshot snapshot, PathId appId, SortedSet<string> changedKeys)
    {
        _apps.TryGetValue(appId, out var before);
        Dictionary<string, (AppVipPort, string, ImmutableArray<VipBackend>)>? after = null;
        if (snapshot.Apps.TryGetValue(appId, out var app) && AppVipPorts.Of(app) is { Count: > 0 } ports)
        {
            after = new(StringComparer.Ordinal);
            var instances = snapshot.InstancesOf(appId).ToList();
            foreach (var instance in instances)
            {
                _instanceApps[instance.Id] = appId;
            }
            foreach (var port in ports)
            {
                var address = port.Label.Address?.ToString() ?? _addresses.Assign(port.Label.Host, options.Framework)?.Address.ToString();
                if (address is null)
                {
                    continue; // the named range is full
                }
                var key = Vip.VipKey(address, port.Label.Port, port.Protocol);
                var backends = instances
                    .SelectMany(i => VipBackends.Of(app, i, i.AgentId is { } a ? snapshot.Agents.GetValueOrDefault(a) : null, port))
                    .ToImmutableArray();
                after[key] = (port, address, backends);
            }
        }
        if (before is not null)
        {
            foreach (var (key, (_, _, backends)) in before)
            {
                if (after is null || !after.TryGetValue(key, out var now) || !now.Item3.SequenceEqual(backends))
                {
                    changedKeys.Add(key);
                }
                if (after is null || !after.ContainsKey(key))
                {
                    _declaredBy[key].Remove(appId);
                }
            }
        }
        if (after is not null)
        {
            foreach (var key in after.Keys)
            {
                if (before is null || !before.ContainsKey(key))
                {
                    changedKeys.Add(key);
                    (_declaredBy.TryGetValue(key, out var set) ? set : _declaredBy[key] = []).Add(appId);
                }
            }
            _apps[appId] = after!;
        }
        else
        {
            _apps.Remove(appId);
            foreach (var id in _instanceApps.Where(p => p.Value == appId).Select(p => p.Key).ToList())
            {
                _instanceApps.Remove(id);
            }
        }
    }
}
