namespace Harrier.Linux;

/// <summary>A network namespace's interface counters summed over its interfaces except loopback (Mesos' <c>net_*</c>).</summary>
public sealed record NetworkStatistics(long RxBytes, long RxPackets, long RxErrors, long RxDropped, long TxBytes, long TxPackets, long TxErrors, long TxDropped);
