namespace Harrier.Linux;

/// <summary>One queueing discipline's counters as Mesos' <c>TrafficControlStatistics</c> (<c>net_traffic_control_statistics</c>);
/// <see cref="Id"/> names its role (<c>bw_limit</c>: the egress rate limit).</summary>
public sealed record TrafficControlStatistics(
    string Id, long? Backlog, long? Bytes, long? Drops, long? Overlimits, long? Packets, long? Qlen, long? RateBps, long? RatePps, long? Requeues);
