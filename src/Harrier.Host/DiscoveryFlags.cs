using System.Globalization;
using System.Net;
using Harrier.Core.Networks;

namespace Harrier.Host;

/// <summary>
/// Service discovery's flags on <c>harrier dev</c>, <c>harrier server</c> and <c>harrier dns</c>: where the DNS server
/// listens (<c>--dns-port</c>; off unless given), its upstream resolvers, whether only healthy tasks get names, the IP
/// sources order (Mesos-DNS's <c>IPSources</c>), and the range named VIPs take their addresses from.
/// </summary>
internal sealed record DiscoveryFlags
{
    public const string Usage = """
          --dns-port N           answer DNS (UDP and TCP) on this port: *.mesos and *.thisdcos.directory names (default: off)
          --dns-address ADDR     the DNS server's address (default: the HTTP address)
          --dns-upstream IP[:PORT]         a resolver for every other name (repeatable; default: /etc/resolv.conf's)
          --dns-only-healthy     only tasks that are healthy (or have no health checks) get names
          --dns-ip-sources LIST  where a task's address comes from, first that has one wins (default netinfo,mesos,host;
                                 DC/OS used host,netinfo: agent addresses for every task)
          --vip-cidr CIDR        the range named VIPs (VIP_n "/name:port") take addresses from (default 10.199.0.0/16;
                                 a range inside 127.0.0.0/8 works on one machine)
        """;

    /// <summary>The default range of named VIPs: private, away from the bridge and overlay defaults.</summary>
    public const string DefaultVipCidr = "10.199.0.0/16";

    public int? DnsPort { get; init; }
    public string? DnsAddress { get; init; }
    public IReadOnlyList<IPEndPoint> DnsUpstreams { get; init; } = [];
    public bool DnsOnlyHealthy { get; init; }
    public IReadOnlyList<string> DnsIpSources { get; init; } = ["netinfo", "mesos", "host"];
    public Ipv4Cidr VipCidr { get; init; } = Ipv4Cidr.Parse(DefaultVipCidr);
    public IPEndPoint? TaskDns { get; init; }

    /// <summary>True when <paramref name="flag"/> is a value-less discovery flag (it is then applied).</summary>
    public static bool TryApplySwitch(string flag, ref DiscoveryFlags flags)
    {
        if (flag == "--dns-only-healthy")
        {
            flags = flags with { DnsOnlyHealthy = true };
            return true;
        }
        return false;
    }

    /// <summary>The flags with <paramref name="flag"/> <paramref name="value"/> applied, or null when the flag is not a
    /// discovery flag. A bad value throws <see cref="FormatException"/>.</summary>
    public DiscoveryFlags? With(string flag, string value) => flag switch
    {
        "--dns-port" => this with { DnsPort = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535 ? p : throw new FormatException("must be a port (1-65535)") },
        "--dns-address" => this with { DnsAddress = IPAddress.TryParse(value, out _) ? value : throw new FormatException("must be an IP address") },
        "--dns-upstream" => this with { DnsUpstreams = [.. DnsUpstreams, Upstream(value)] },
        "--task-dns" => this with { TaskDns = Upstream(value) },
        "--dns-ip-sources" => this with { DnsIpSources = IpSources(value) },
        "--vip-cidr" => this with { VipCidr = Ipv4Cidr.TryParse(value, out var cidr, out var error) ? cidr.Prefix <= 30 ? cidr : throw new FormatException("needs at least 4 addresses (/30)") : throw new FormatException(error) },
        _ => null,
    };

    /// <summary><c>IP</c>, <c>IP:PORT</c> or <c>[IPv6]:PORT</c>; port 53 when not given.</summary>
    public static IPEndPoint Upstream(string value)
    {
        if (IPAddress.TryParse(value, out var address))
        {
            return new IPEndPoint(address, 53);
        }
        return IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port > 0
            ? endpoint
            : throw new FormatException("must be IP or IP:PORT");
    }

    private static string[] IpSources(string value)
    {
        string[] known = ["host", "netinfo", "mesos", "docker"];
        var sources = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (sources.Length == 0 || sources.Any(s => !known.Contains(s)) || sources.Distinct().Count() != sources.Length)
        {
            throw new FormatException("must list host, netinfo, mesos or docker, each at most once");
        }
        return sources;
    }
}
