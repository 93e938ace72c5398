namespace Harrier.Linux;

/// <summary>
/// One task's resource usage as Mesos' <c>ResourceStatistics</c> names it (<c>/monitor/statistics</c>). Null
/// members were not measurable (no such controller, or not root). Times are seconds, sizes bytes.
/// </summary>
public sealed record ResourceStatistics
{
    public double Timestamp { get; init; }
    public double? CpusUserTimeSecs { get; init; }
    public double? CpusSystemTimeSecs { get; init; }
    public double? CpusLimit { get; init; }
    public long? CpusNrPeriods { get; init; }
    public long? CpusNrThrottled { get; init; }
    public double? CpusThrottledTimeSecs { get; init; }
    public long? MemRssBytes { get; init; }
    public long? MemCacheBytes { get; init; }
    public long? MemTotalBytes { get; init; }
    public long? MemLimitBytes { get; init; }
    public int? Processes { get; init; }
    public int? Threads { get; init; }
    /// <summary>Network counters; set only when the task has a network namespace of its own.</summary>
    public NetworkStatistics? Network { get; init; }
    /// <summary>The task's egress shaper (Mesos' <c>net_traffic_control_statistics</c>); set by the port-mapping isolator.</summary>
    public IReadOnlyList<TrafficControlStatistics>? TrafficControl { get; init; }
    /// <summary>Mesos' <c>net_tcp_*</c> socket statistics, when the agent collects them.</summary>
    public SocketStatistics? Sockets { get; init; }
}
