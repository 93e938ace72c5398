namespace Harrier.Linux;

/// <summary>A network namespace's TCP sockets as Mesos' <c>net_tcp_*</c> statistics: the summary (connections in use and
/// in TIME_WAIT, from <c>/proc/net/sockstat</c>) and the details (round-trip-time percentiles over sockets that have one).</summary>
public sealed record SocketStatistics
{
    public long? ActiveConnections { get; init; }
    public long? TimeWaitConnections { get; init; }
    public double? RttMicrosecsP50 { get; init; }
    public double? RttMicrosecsP90 { get; init; }
    public double? RttMicrosecsP95 { get; init; }
    public double? RttMicrosecsP99 { get; init; }
}
