using Harrier.Core.Networks;

namespace Harrier.Server.Discovery;

/// <summary>Service discovery's settings: Mesos-DNS's record choices and the named VIPs' address range.</summary>
public sealed class DiscoveryOptions
{
    /// <summary>The range named VIPs take their addresses from (dcos-net's min/max_named_ip).</summary>
    public Ipv4Cidr VipCidr { get; set; } = Ipv4Cidr.Parse("10.199.0.0/16");

    /// <summary>The scheduler's framework name in every name (<c>web.marathon.mesos</c>, <c>web.marathon.l4lb…</c>).</summary>
    public string Framework { get; set; } = "marathon";

    /// <summary>Mesos-DNS's domain.</summary>
    public string Domain { get; set; } = "mesos";

    /// <summary>Only tasks that are healthy (or have no health checks) get names.</summary>
    public bool OnlyHealthy { get; set; }

    /// <summary>The DNS server's port (<c>--dns-port</c>) and address, as <c>/v1/config</c> shows them; null when off.</summary>
    public int? DnsPort { get; set; }

    public string? DnsListener { get; set; }

    /// <summary>Mesos-DNS's <c>IPSources</c>: the first that yields an address for a task wins.</summary>
    public IReadOnlyList<string> IpSources { get; set; } = ["netinfo", "mesos", "host"];
}
