using System.Net;
using Harrier.Core.Ids;
using Harrier.Dns.Records;
using Harrier.Dns.Vips;
using Harrier.Dns.Zones;
using Harrier.Server.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Harrier.Server.Discovery;

/// <summary>
/// The names of the cluster, kept current from the orchestrator's published snapshots: a record book (Mesos-DNS's
/// <c>*.mesos</c>, dcos-net's <c>*.thisdcos.directory</c> and the named VIPs' l4lb names) updated for what each batch
/// touched, so a change costs in proportion to it, and an immutable zone swapped in whole for the DNS server and the
/// Mesos-DNS HTTP API. Updates run on the catalog's own loop, never on the orchestrator's.
/// </summary>
public sealed partial class DiscoveryCatalog(ServerOptions options, ILogger<DiscoveryCatalog> logger) : BackgroundService, ISnapshotObserver, IZoneSource
{
    private readonly DiscoveryOptions _discovery = options.Discovery;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _lock = new();
    private ClusterSnapshot? _latest;
    private Pending _pending = new();

    private RecordBook _book = RecordBook.Empty();
    private volatile ZoneSnapshot _zone = ZoneSnapshot.Empty;
    private readonly Dictionary<InstanceId, (PathId App, string[] Keys)> _instanceKeys = [];
    private readonly Dictionary<AgentId, DiscoveryAgent> _agents = [];
    private long _vipVersion = -1;
    private readonly List<string> _vipKeys = [];

    /// <summary>Mesos-DNS's configuration as this server applies it.</summary>
    public DnsConfig Config { get; } = new()
    {
        Domain = options.Discovery.Domain,
        IpSources = options.Discovery.IpSources,
        Listener = options.Discovery.DnsListener ?? "0.0.0.0",
        SoaMname = "ns1." + options.Discovery.Domain,
        SoaRname = "root.ns1." + options.Discovery.Domain,
        SetTruncateBit = true,
        Port = options.Discovery.DnsPort ?? 53,
        HttpPort = options.HttpPort,
    };

    public ZoneSnapshot Current => _zone;

    /// <summary>The book the zone was made from (the Mesos-DNS HTTP API reads it).</summary>
    public RecordBook Book => Volatile.Read(ref _book);

    /// <summary>When the zone last changed (the SOA serial).</summary>
    public DateTimeOffset LoadedAt { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>Counts zone publications (tests wait on it).</summary>
    public long Generation { get; private set; }

    public void Published(ClusterSnapshot snapshot, PublishedChanges changes)
    {
        lock (_lock)
        {
            _latest = snapshot;
            _pending.Add(changes);
        }
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _wake.WaitAsync(stoppingToken);
            ClusterSnapshot? snapshot;
            Pending pending;
            lock (_lock)
            {
                snapshot = _latest;
                pending = _pending;
                _pending = new Pending();
            }
            if (snapshot is null)
            {
                continue;
            }
            try
            {
                Update(snapshot, pending);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogUpdateFailed(e);
                lock (_lock)
                {
                    _pending.Everything = true;
                }
            }
        }
    }

    /// <summary>Brings the book up to <paramref name="snapshot"/> for what <paramref name="pending"/> says changed.</summary>
    internal void Update(ClusterSnapshot snapshot, Pending pending)
    {
        var set = new List<RecordContribution>();
        var remove = new List<string>();
        var everything = pending.Everything;
        if (everything)
        {
            remove.AddRange(_book.Contributions.Select(c => c.Key));
            _instanceKeys.Clear();
            _agents.Clear();
            _vipKeys.Clear();
            _vipVersion = -1;
            var state = new DiscoveryState(options.Advertise, [options.Advertise], [], []);
            set.Add(MesosDnsRecords.Masters(state, Config));
            set.Add(ThisDcosRecords.Masters(state));
            set.Add(MesosDnsRecords.Framework(new DiscoveryFramework(_discovery.Framework, SchedulerIps(), options.HttpPort, []), Config));
        }

        // Agents: their own records; a changed address changes every record of its tasks.
        var instances = new HashSet<InstanceId>(everything ? snapshot.Instances.Keys : pending.Instances);
        foreach (var id in everything ? snapshot.Agents.Keys : pending.Agents)
        {
            var before = _agents.GetValueOrDefault(id);
            if (!snapshot.Agents.TryGetValue(id, out var status))
            {
                _agents.Remove(id);
                remove.Add("mesos/agent/" + id.Value);
                continue;
            }
            var now = DiscoveryModel.Agent(status);
            if (before is not null && before.Hostname == now.Hostname && before.Ips.SequenceEqual(now.Ips))
            {
                continue;
            }
            _agents[id] = now;
            set.Add(MesosDnsRecords.Agent(now, Config));
            if (before is not null)
            {
                instances.UnionWith(snapshot.Instances.Values.Where(i => i.AgentId == id).Select(i => i.Id));
            }
        }
        foreach (var app in pending.Apps)
        {
            instances.UnionWith(snapshot.InstancesOf(app).Select(i => i.Id));
        }
        foreach (var app in pending.Apps)
        {
            // Instances of a removed app are gone from the snapshot: their keys go below.
            instances.UnionWith(_instanceKeys.Where(p => p.Value.App == app).Select(p => p.Key));
        }

        foreach (var id in instances)
        {
            var keys = _instanceKeys.TryGetValue(id, out var had) ? had.Keys : [];
            var contributions = Contributions(snapshot, id);
            var newKeys = contributions.Select(c => c.Key).ToArray();
            remove.AddRange(keys.Except(newKeys, StringComparer.Ordinal));
            set.AddRange(contributions);
            if (newKeys.Length == 0)
            {
                _instanceKeys.Remove(id);
            }
            else
            {
                _instanceKeys[id] = (snapshot.Instances[id].RunSpecId, newKeys);
            }
        }

        if (snapshot.Vips.Version != _vipVersion)
        {
            _vipVersion = snapshot.Vips.Version;
            var vips = VipContributions(snapshot.Vips);
            remove.AddRange(_vipKeys.Except(vips.Select(v => v.Key), StringComparer.Ordinal));
            _vipKeys.Clear();
            _vipKeys.AddRange(vips.Select(v => v.Key));
            set.AddRange(vips);
        }

        if (set.Count == 0 && remove.Count == 0)
        {
            return;
        }
        var setKeys = new HashSet<string>(set.Select(c => c.Key), StringComparer.Ordinal);
        var book = _book.Apply(set, remove.Distinct(StringComparer.Ordinal).Where(k => !setKeys.Contains(k)));
        Volatile.Write(ref _book, book);
        LoadedAt = DateTimeOffset.UtcNow;
        _zone = book.ToZone(Authorities((uint)LoadedAt.ToUnixTimeSeconds()));
        Generation++;
    }

    private List<RecordContribution> Contributions(ClusterSnapshot snapshot, InstanceId id)
    {
        var result = new List<RecordContribution>(2);
        if (!snapshot.Instances.TryGetValue(id, out var instance)
            || !snapshot.Apps.TryGetValue(instance.RunSpecId, out var app)
            || DiscoveryModel.Task(app, instance, _discovery.OnlyHealthy) is not { } task
            || !snapshot.Agents.TryGetValue(instance.AgentId!.Value, out var status))
        {
            return result;
        }
        var agent = _agents.GetValueOrDefault(status.Info.Id) ?? DiscoveryModel.Agent(status);
        result.Add(MesosDnsRecords.Task(task, _discovery.Framework, agent, Config));
        result.Add(ThisDcosRecords.Task(task, _discovery.Framework, agent));
        return result;
    }

    /// <summary><c>name.framework.l4lb.thisdcos.directory</c> → the named VIP's address, one per name.</summary>
    private static List<RecordContribution> VipContributions(VipDirectory directory) =>
        [.. directory.Vips.Values
            .Where(v => v.Name is not null && IPAddress.TryParse(v.Address, out _))
            .GroupBy(v => v.Name!, StringComparer.Ordinal)
            .Select(g => new RecordContribution("vip/" + g.Key,
                [.. g.Select(v => v.Address).Distinct().Select(a => DnsRecord.Address(g.Key + ".", IPAddress.Parse(a)))]))];

    private IPAddress[] SchedulerIps()
    {
        var host = options.Advertise.LastIndexOf(':') is var colon and > 0 ? options.Advertise[..colon].Trim('[', ']') : options.Advertise;
        return IPAddress.TryParse(host, out var ip) ? [ip] : [];
    }

    private ZoneAuthority[] Authorities(uint serial) =>
    [
        new(Config.Domain + ".", Config.Ttl, Config.SoaMname, Config.SoaRname, serial, Config.SoaRefresh, Config.SoaRetry, Config.SoaExpire, Config.SoaMinttl)
        {
            NameServers = [Config.SoaMname],
        },
        new("thisdcos.directory.", ThisDcosRecords.Ttl, "ns.thisdcos.directory.", "support.mesosphere.com.", serial, 5, 5, 86400, 1)
        {
            NameServers = ["ns.thisdcos.directory."],
        },
    ];

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(1, LogLevel.Error, "Updating the DNS names failed; the next change rebuilds them")]
    private partial void LogUpdateFailed(Exception e);

    /// <summary>What the batches since the last update touched.</summary>
    internal sealed class Pending
    {
        public bool Everything { get; set; }
        public HashSet<InstanceId> Instances { get; } = [];
        public HashSet<PathId> Apps { get; } = [];
        public HashSet<AgentId> Agents { get; } = [];

        public void Add(PublishedChanges changes)
        {
            Everything |= changes.Everything;
            if (Everything)
            {
                return;
            }
            Instances.UnionWith(changes.Instances);
            Apps.UnionWith(changes.Apps);
            Agents.UnionWith(changes.Agents);
        }
    }
}
