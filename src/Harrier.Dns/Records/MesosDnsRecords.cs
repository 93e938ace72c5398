using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Harrier.Dns.Records;

/// <summary>
/// Mesos-DNS's record generation (<c>records/generator.go</c>, <c>chains.go</c>) as a pure function of a
/// <see cref="DiscoveryState"/>: framework, agent (<c>slave</c>), listener (SOA mname), leader/master and per-task
/// records. <see cref="Contributions"/> yields them grouped by source so a <see cref="RecordBook"/> can follow changes
/// one task at a time; <see cref="Generate"/> is their union and equals what Mesos-DNS's <c>InsertState</c> builds.
/// </summary>
public static class MesosDnsRecords
{
    public static RecordSet Generate(DiscoveryState state, DnsConfig config) =>
        RecordSet.From(Contributions(state, config).SelectMany(c => c.Records));

    public static IEnumerable<RecordContribution> Contributions(DiscoveryState state, DnsConfig config)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(config);
        yield return Masters(state, config);
        foreach (var framework in state.Frameworks)
        {
            yield return Framework(framework, config);
        }
        var agents = new Dictionary<string, DiscoveryAgent>(StringComparer.Ordinal);
        foreach (var agent in state.Agents)
        {
            agents[agent.Id] = agent;
            yield return Agent(agent, config);
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var framework in state.Frameworks)
        {
            foreach (var task in framework.Tasks)
            {
                if (task.IsRunning && agents.TryGetValue(task.AgentId, out var agent))
                {
                    var contribution = Task(task, framework.Name, agent, config);
                    // Task ids are unique per framework in Mesos; upstream's fake state repeats one, so keep keys apart.
                    var key = contribution.Key;
                    for (var n = 2; !keys.Add(key); n++)
                    {
                        key = contribution.Key + "#" + n.ToString(CultureInfo.InvariantCulture);
                    }
                    yield return contribution with { Key = key };
                }
            }
        }
    }

    public static string TaskKey(string framework, string taskId) => "mesos/task/" + framework + "/" + taskId;

    /// <summary><c>F.D.</c> → scheduler addresses and <c>_framework._tcp.F.D.</c> → <c>F.D.:port</c>.</summary>
    public static RecordContribution Framework(DiscoveryFramework framework, DnsConfig config)
    {
        var records = new List<DnsRecord>();
        if (framework.SchedulerIps.Count > 0)
        {
            var name = Labels.DomainFrag(framework.Name, config.Label) + "." + config.Domain + ".";
            records.AddRange(framework.SchedulerIps.Select(ip => DnsRecord.Address(name, ip)));
            if (framework.SchedulerPort is { } port)
            {
                records.Add(DnsRecord.Srv("_framework._tcp." + name, name, port));
            }
        }
        return new RecordContribution("mesos/framework/" + framework.Name + "/" + string.Join(',', framework.SchedulerIps), records)
        {
            Framework = framework.Name,
        };
    }

    /// <summary><c>slave.D.</c> → the agent's addresses and <c>_slave._tcp.D.</c> → <c>slave.D.:port</c>.</summary>
    public static RecordContribution Agent(DiscoveryAgent agent, DnsConfig config)
    {
        var name = "slave." + config.Domain + ".";
        var records = new List<DnsRecord>(agent.Ips.Select(ip => DnsRecord.Address(name, ip)));
        if (agent.Ips.Count > 0)
        {
            records.Add(DnsRecord.Srv("_slave._tcp." + config.Domain + ".", name, agent.Port));
        }
        return new RecordContribution("mesos/agent/" + agent.Id, records);
    }

    /// <summary>The SOA mname's addresses, <c>leader.D.</c>, <c>master.D.</c>, <c>masterN.D.</c> and the leader SRVs.</summary>
    public static RecordContribution Masters(DiscoveryState state, DnsConfig config)
    {
        var records = new List<DnsRecord>();
        var listener = config.Listener == "0.0.0.0" ? config.ListenerIps : HostPort.Ip(config.Listener) is { } ip ? [ip] : [];
        records.AddRange(listener.Select(address => DnsRecord.Address(config.SoaMname, address)));
        MasterRecords(records, state, config.Domain);
        return new RecordContribution("mesos/masters", records);
    }

    /// <summary>Every record one running task on a known agent adds.</summary>
    public static RecordContribution Task(DiscoveryTask task, string frameworkName, DiscoveryAgent agent, DnsConfig config)
    {
        var label = config.Label;
        var agentIps = agent.Ips.Count > 0
            ? agent.Ips.Select(DnsRecord.Format).ToList()
            : [Labels.DomainFrag(agent.Hostname, label)];
        var context = new TaskContext(
            label(task.Name),
            Hash(task.Id),
            AgentTail(task.AgentId),
            TaskIps(task, agentIps, config.IpSources),
            agentIps,
            Labels.DomainFrag(frameworkName, label),
            "." + config.Domain + ".");
        var records = new List<DnsRecord>();
        if (task.Discovery is { Name.Length: > 0 } discovery)
        {
            // Mesos-DNS generates twice: with the raw DiscoveryInfo name (marked LEGACY upstream) and sanitised.
            TaskNameRecords(records, context with { TaskName = discovery.Name }, task, label);
            TaskNameRecords(records, context with { TaskName = label(discovery.Name) }, task, label);
        }
        else
        {
            TaskNameRecords(records, context, task, label);
        }
        return new RecordContribution(TaskKey(frameworkName, task.Id), records)
        {
            Framework = frameworkName,
            Task = (task.Name, task.Id),
        };
    }

    private static void TaskNameRecords(List<DnsRecord> records, TaskContext ctx, DiscoveryTask task, Func<string, string> label)
    {
        var canonical = ctx.TaskName + "-" + ctx.Hash + "-" + ctx.AgentTail + "." + ctx.Framework;
        var arec = ctx.TaskName + "." + ctx.Framework;
        foreach (var ip in ctx.TaskIps)
        {
            records.Add(DnsRecord.Address(arec + ctx.Tail, ip));
            records.Add(DnsRecord.Address(canonical + ctx.Tail, ip));
        }
        foreach (var agentIp in ctx.AgentIps)
        {
            if (HostPort.Ip(agentIp) is { } ip)
            {
                records.Add(DnsRecord.Address(arec + ".slave" + ctx.Tail, ip));
                records.Add(DnsRecord.Address(canonical + ".slave" + ctx.Tail, ip));
            }
            else
            {
                // Upstream puts a host name that did not resolve into the A set as is (mesos-dns issue 509).
                records.Add(new DnsRecord(arec + ".slave" + ctx.Tail, RecordKind.A, agentIp));
                records.Add(new DnsRecord(canonical + ".slave" + ctx.Tail, RecordKind.A, agentIp));
            }
        }
        var hasDiscovery = task.Discovery is { Name.Length: > 0 };
        var slaveHost = canonical + ".slave" + ctx.Tail;
        foreach (var port in task.Ports)
        {
            foreach (var protocol in (string[])["tcp", "udp"])
            {
                var name = "_" + ctx.TaskName + "._" + protocol + "." + ctx.Framework;
                records.Add(DnsRecord.Srv(name + ".slave" + ctx.Tail, slaveHost, port));
                if (!hasDiscovery)
                {
                    records.Add(DnsRecord.Srv(name + ctx.Tail, slaveHost, port));
                }
            }
        }
        if (!hasDiscovery)
        {
            return;
        }
        foreach (var port in task.Discovery!.Ports)
        {
            var target = canonical + ctx.Tail;
            var protocol = label(port.Protocol ?? "");
            var portName = label(port.Name ?? "");
            foreach (var p in protocol.Length > 0 ? [protocol] : (string[])["tcp", "udp"])
            {
                var name = "_" + ctx.TaskName + "._" + p + "." + ctx.Framework + ctx.Tail;
                records.Add(DnsRecord.Srv(name, target, port.Number));
                if (portName.Length > 0)
                {
                    records.Add(DnsRecord.Srv("_" + portName + "." + name, target, port.Number));
                }
            }
        }
    }

    private static void MasterRecords(List<DnsRecord> records, DiscoveryState state, string domain)
    {
        if (state.Leader is not { } leader || !HostPort.TrySplit(leader, out var leaderHost, out var leaderPort)
            || HostPort.Ip(leaderHost) is not { } leaderIp)
        {
            return;
        }
        var tail = "." + domain + ".";
        records.Add(DnsRecord.Address("leader" + tail, leaderIp));
        records.Add(DnsRecord.Address("master" + tail, leaderIp));
        records.Add(new DnsRecord("_leader._tcp" + tail, RecordKind.Srv, "leader" + tail + ":" + leaderPort));
        records.Add(new DnsRecord("_leader._udp" + tail, RecordKind.Srv, "leader" + tail + ":" + leaderPort));
        var all = new HashSet<string>(StringComparer.Ordinal) { DnsRecord.Format(leaderIp) };
        var leaderListed = false;
        var index = 0;
        foreach (var master in state.Masters)
        {
            if (!HostPort.TrySplit(master, out var host, out _) || HostPort.Ip(host) is not { } ip)
            {
                continue;
            }
            var isLeader = master == leader;
            if (!isLeader)
            {
                if (!all.Add(DnsRecord.Format(ip)))
                {
                    continue; // a master listed twice
                }
                records.Add(DnsRecord.Address("master" + tail, ip));
            }
            if (isLeader && leaderListed)
            {
                continue;
            }
            records.Add(DnsRecord.Address("master" + index.ToString(CultureInfo.InvariantCulture) + tail, ip));
            index++;
            leaderListed |= isLeader;
        }
        if (!leaderListed)
        {
            records.Add(DnsRecord.Address("master" + index.ToString(CultureInfo.InvariantCulture) + tail, leaderIp));
        }
    }

    /// <summary>The task's addresses from the first IP source that yields any.</summary>
    private static List<IPAddress> TaskIps(DiscoveryTask task, List<string> agentIps, IReadOnlyList<string> sources)
    {
        foreach (var source in sources)
        {
            IEnumerable<IPAddress> ips = source switch
            {
                "netinfo" => task.NetInfoIps,
                "mesos" => task.MesosIps,
                "docker" => task.DockerIps,
                "host" => agentIps.Select(HostPort.Ip).OfType<IPAddress>(),
                _ => [],
            };
            var list = ips.ToList();
            if (list.Count > 0)
            {
                return list;
            }
        }
        return [];
    }

    /// <summary>The first 5 characters of zbase32(sha1(task id)).</summary>
    // SHA-1 is what Mesos-DNS names tasks with; it is a name, not a security boundary.
#pragma warning disable CA5350
    private static string Hash(string taskId) =>
        Zbase32.Encode(SHA1.HashData(Encoding.UTF8.GetBytes(taskId)))[..5];
#pragma warning restore CA5350

    /// <summary>The last '-'-separated field of an agent id, lower-cased (<c>…-S3</c> → <c>s3</c>).</summary>
    private static string AgentTail(string agentId) => agentId[(agentId.LastIndexOf('-') + 1)..].ToLowerInvariant();

    private sealed record TaskContext(
        string TaskName, string Hash, string AgentTail, List<IPAddress> TaskIps, List<string> AgentIps, string Framework, string Tail);
}
