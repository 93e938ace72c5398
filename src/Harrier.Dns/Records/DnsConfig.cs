using System.Net;

namespace Harrier.Dns.Records;

/// <summary>
/// Mesos-DNS's configuration as far as records and its HTTP API need it, with Mesos-DNS's defaults
/// (<c>records/config.go</c>). <see cref="SoaMname"/> and <see cref="SoaRname"/> are normalised the way Mesos-DNS
/// does it (absolute; '@' in the rname becomes '.'); <see cref="Domain"/> is lower-cased.
/// </summary>
public sealed record DnsConfig
{
    public static DnsConfig Default { get; } = new();

    public string Domain { get; init => field = value.Trim('.').ToLowerInvariant(); } = "mesos";

    public LabelRule LabelRule { get; init; } = LabelRule.Rfc1123;

    /// <summary>Where task addresses come from, first non-empty source wins: <c>netinfo</c>, <c>mesos</c>,
    /// <c>docker</c>, <c>host</c>.</summary>
    public IReadOnlyList<string> IpSources { get; init; } = ["netinfo", "mesos", "host"];

    /// <summary>The DNS listener address; <c>0.0.0.0</c> publishes <see cref="ListenerIps"/> (the host's non-loopback
    /// interface addresses, supplied by the caller since this project does no I/O) under <see cref="SoaMname"/>.</summary>
    public string Listener { get; init; } = "0.0.0.0";

    public IReadOnlyList<IPAddress> ListenerIps { get; init; } = [];

    public string SoaMname { get; init => field = value.TrimEnd('.') + "."; } = "ns1.mesos.";

    public string SoaRname { get; init => field = value.Replace('@', '.').TrimEnd('.') + "."; } = "root.ns1.mesos.";

    public uint SoaRefresh { get; init; } = 60;

    public uint SoaRetry { get; init; } = 600;

    public uint SoaExpire { get; init; } = 86400;

    public uint SoaMinttl { get; init; } = 60;

    public uint Ttl { get; init; } = 60;

    public ushort SrvRecordDefaultWeight { get; init; } = 1;

    public int RefreshSeconds { get; init; } = 60;

    public int Port { get; init; } = 53;

    public int HttpPort { get; init; } = 8123;

    public IReadOnlyList<string> Resolvers { get; init; } = ["8.8.8.8"];

    public bool EnumerationOn { get; init; } = true;

    public bool SetTruncateBit { get; init; }

    /// <summary>The label function for <see cref="LabelRule"/>.</summary>
    public Func<string, string> Label => LabelRule == LabelRule.Rfc952 ? Labels.Rfc952 : Labels.Rfc1123;
}
