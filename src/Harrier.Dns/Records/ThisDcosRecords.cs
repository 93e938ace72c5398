using System.Net;

namespace Harrier.Dns.Records;

/// <summary>
/// dcos-net's <c>dcos.thisdcos.directory</c> zone (<c>dcos_dns_mesos.erl</c>) as a pure function: for every running
/// task on a known agent, with N = label(DiscoveryInfo name, else task name) and F = label(framework name) — the
/// label function, not domain_frag, so dots become dashes:
/// <c>N.F.agentip.dcos.thisdcos.directory</c> → the agent's address; <c>N.F.containerip…</c> → the task's addresses;
/// <c>N.F.autoip…</c> → the agent's address when a port is published on the agent (a port mapping with a host port,
/// a host-scoped discovery port, a legacy <c>VIP_PORT</c> label), else the task's addresses. Tasks with the same
/// names merge. Plus <c>leader.dcos.thisdcos.directory</c> and <c>master.dcos.thisdcos.directory</c>. TTL 5 s.
/// </summary>
public static class ThisDcosRecords
{
    public const string Zone = "dcos.thisdcos.directory.";

    public const uint Ttl = 5;

    public static RecordSet Generate(DiscoveryState state) => RecordSet.From(Contributions(state).SelectMany(c => c.Records));

    public static IEnumerable<RecordContribution> Contributions(DiscoveryState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        yield return Masters(state);
        var agents = state.Agents.GroupBy(a => a.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        foreach (var framework in state.Frameworks)
        {
            foreach (var task in framework.Tasks)
            {
                if (task.IsRunning && agents.TryGetValue(task.AgentId, out var agent))
                {
                    yield return Task(task, framework.Name, agent);
                }
            }
        }
    }

    public static string TaskKey(string framework, string taskId) => "dcos/task/" + framework + "/" + taskId;

    public static RecordContribution Task(DiscoveryTask task, string frameworkName, DiscoveryAgent agent)
    {
        var prefix = DcosLabels.Label(task.Discovery is { Name.Length: > 0 } d ? d.Name : task.Name) + "." + DcosLabels.Label(frameworkName) + ".";
        var agentIps = agent.Ips.Take(1).ToList();
        IReadOnlyList<IPAddress> taskIps = task.NetInfoIps;
        var records = new List<DnsRecord>();
        records.AddRange(agentIps.Select(ip => DnsRecord.Address(prefix + "agentip." + Zone, ip)));
        records.AddRange(taskIps.Select(ip => DnsRecord.Address(prefix + "containerip." + Zone, ip)));
        // No task address at all (a host-networked task whose status carried none): the agent's, as dcos-net does when
        // it could not read one.
        var auto = PublishedOnAgent(task) || taskIps.Count == 0 ? agentIps : taskIps;
        records.AddRange(auto.Select(ip => DnsRecord.Address(prefix + "autoip." + Zone, ip)));
        return new RecordContribution(TaskKey(frameworkName, task.Id), records) { Framework = frameworkName, Task = (task.Name, task.Id) };
    }

    public static RecordContribution Masters(DiscoveryState state)
    {
        var records = new List<DnsRecord>();
        if (state.Leader is { } leader && HostPort.TrySplit(leader, out var host, out _) && HostPort.Ip(host) is { } leaderIp)
        {
            records.Add(DnsRecord.Address("leader." + Zone, leaderIp));
        }
        foreach (var master in state.Masters)
        {
            if (HostPort.TrySplit(master, out var masterHost, out _) && HostPort.Ip(masterHost) is { } ip)
            {
                records.Add(DnsRecord.Address("master." + Zone, ip));
            }
        }
        return new RecordContribution("dcos/masters", records);
    }

    /// <summary>dcos-net's "task port has a host_port" (<c>is_port_mapping</c>).</summary>
    private static bool PublishedOnAgent(DiscoveryTask task) =>
        task.PortMappings.Any(m => m.HostPort is not null)
        || (task.Discovery?.Ports.Any(p => p.Number != 0 && p.IsHostScoped) ?? false)
        || task.Labels.Any(l => IsLegacyVipPort(l, task.Ports.Count));

    private static bool IsLegacyVipPort(KeyValuePair<string, string> label, int ports) =>
        label.Key.StartsWith("vip_port", StringComparison.OrdinalIgnoreCase)
        && int.TryParse(label.Key.AsSpan(8), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
        && index < ports
        && (label.Value.StartsWith("tcp://", StringComparison.Ordinal) || label.Value.StartsWith("udp://", StringComparison.Ordinal));
}
