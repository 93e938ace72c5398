using System.Net;
using System.Net.Sockets;

namespace Harrier.Dns.Records;

/// <summary>
/// One generated record as Mesos-DNS keeps it: an absolute name, a kind and a value — an address for A/AAAA, and
/// <c>target.:port</c> for SRV. Names are as generated (Mesos-DNS keeps a raw DiscoveryInfo name's case); lookups
/// lower-case them.
/// </summary>
public readonly record struct DnsRecord(string Name, RecordKind Kind, string Value)
{
    public static DnsRecord Address(string name, IPAddress ip) =>
        new(name, ip.AddressFamily == AddressFamily.InterNetworkV6 && !ip.IsIPv4MappedToIPv6 ? RecordKind.Aaaa : RecordKind.A, Format(ip));

    public static DnsRecord Srv(string name, string target, int port) =>
        new(name, RecordKind.Srv, target + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>An address as Go's <c>net.IP.String</c> writes it (an IPv4-mapped IPv6 address as plain IPv4).</summary>
    public static string Format(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : ip.ToString();
}
