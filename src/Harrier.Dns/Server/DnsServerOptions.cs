using System.Net;

namespace Harrier.Dns.Server;

/// <summary>
/// How the DNS server listens and forwards (<c>--dns-port</c>, <c>--dns-upstream</c>). Defaults follow Mesos-DNS as DC/OS
/// ran it: recursion on, the truncate bit set, a 2 s forwarding timeout.
/// </summary>
public sealed record DnsServerOptions
{
    /// <summary>The address both listeners bind (UDP and TCP).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port both listeners bind; 0 picks a free one (see <see cref="DnsServer.Port"/>).</summary>
    public int Port { get; init; } = 53;

    /// <summary>Resolvers for names outside every zone. Empty: the name servers in /etc/resolv.conf, except this server's
    /// own address (<see cref="ResolvConf"/>).</summary>
    public IReadOnlyList<IPEndPoint> Upstreams { get; init; } = [];

    /// <summary>Forward names outside Harrier's zones (and set RA). Off: such queries are REFUSED.</summary>
    public bool Recursion { get; init; } = true;

    /// <summary>Set TC when an answer was cut to fit (Mesos-DNS's <c>SetTruncateBit</c>; DC/OS turned it on), so clients
    /// retry over TCP.</summary>
    public bool SetTruncateBit { get; init; } = true;

    /// <summary>Open TCP connections at once; a connection beyond it is closed at accept.</summary>
    public int MaxTcpConnections { get; init; } = 256;

    /// <summary>A TCP connection with no complete query for this long is closed.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest query accepted over TCP; a longer length prefix closes the connection unread.</summary>
    public int MaxTcpQueryBytes { get; init; } = 4096;

    /// <summary>How long one upstream may take to answer one forwarded query.</summary>
    public TimeSpan ForwardTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Forwarded queries in flight at once; beyond it a query gets SERVFAIL at once.</summary>
    public int MaxForwardsInFlight { get; init; } = 256;

    /// <summary>Forwarded queries in flight for one client address, so one client cannot take the whole forwarder.</summary>
    public int MaxForwardsPerClient { get; init; } = 64;

    /// <summary>Threads receiving UDP queries (each answers the queries it receives); 0 = one per core.</summary>
    public int UdpThreads { get; init; }
}
