using System.Text.Json;
using Harrier.Linux;

namespace Harrier.Agent;

/// <summary>
/// Writes one Mesos <c>/monitor/statistics</c> entry: <c>executor_id</c>, <c>executor_name</c>,
/// <c>framework_id</c>, <c>source</c> and <c>statistics</c> with Mesos' <c>ResourceStatistics</c> field names.
/// A figure that could not be measured is left out, as Mesos leaves out unset optional fields.
/// </summary>
internal static class MonitorStatisticsWriter
{
    /// <summary>Marathon's framework id as Harrier reports it in <c>/v2/info</c>.</summary>
    public const string FrameworkId = "harrier";

    public static void WriteEntry(Utf8JsonWriter w, string taskId, ResourceStatistics s)
    {
        w.WriteStartObject();
        w.WriteString("executor_id", taskId);
        w.WriteString("executor_name", "Command Executor (Task: " + taskId + ")");
        w.WriteString("framework_id", FrameworkId);
        w.WriteString("source", taskId);
        w.WriteStartObject("statistics");
        w.WriteNumber("timestamp", s.Timestamp);
        Number(w, "cpus_user_time_secs", s.CpusUserTimeSecs);
        Number(w, "cpus_system_time_secs", s.CpusSystemTimeSecs);
        Number(w, "cpus_limit", s.CpusLimit);
        Number(w, "cpus_nr_periods", s.CpusNrPeriods);
        Number(w, "cpus_nr_throttled", s.CpusNrThrottled);
        Number(w, "cpus_throttled_time_secs", s.CpusThrottledTimeSecs);
        Number(w, "mem_rss_bytes", s.MemRssBytes);
        Number(w, "mem_cache_bytes", s.MemCacheBytes);
        Number(w, "mem_total_bytes", s.MemTotalBytes);
        Number(w, "mem_limit_bytes", s.MemLimitBytes);
        Number(w, "processes", s.Processes);
        Number(w, "threads", s.Threads);
        if (s.Network is { } n)
        {
            w.WriteNumber("net_rx_bytes", n.RxBytes);
            w.WriteNumber("net_rx_packets", n.RxPackets);
            w.WriteNumber("net_rx_errors", n.RxErrors);
            w.WriteNumber("net_rx_dropped", n.RxDropped);
            w.WriteNumber("net_tx_bytes", n.TxBytes);
            w.WriteNumber("net_tx_packets", n.TxPackets);
            w.WriteNumber("net_tx_errors", n.TxErrors);
            w.WriteNumber("net_tx_dropped", n.TxDropped);
        }
        if (s.TrafficControl is { Count: > 0 } traffic)
        {
            w.WriteStartArray("net_traffic_control_statistics");
            foreach (var t in traffic)
            {
                w.WriteStartObject();
                w.WriteString("id", t.Id);
                Number(w, "backlog", t.Backlog);
                Number(w, "bytes", t.Bytes);
                Number(w, "drops", t.Drops);
                Number(w, "overlimits", t.Overlimits);
                Number(w, "packets", t.Packets);
                Number(w, "qlen", t.Qlen);
                Number(w, "ratebps", t.RateBps);
                Number(w, "ratepps", t.RatePps);
                Number(w, "requeues", t.Requeues);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (s.Sockets is { } sockets)
        {
            Number(w, "net_tcp_active_connections", sockets.ActiveConnections);
            Number(w, "net_tcp_time_wait_connections", sockets.TimeWaitConnections);
            Number(w, "net_tcp_rtt_microsecs_p50", sockets.RttMicrosecsP50);
            Number(w, "net_tcp_rtt_microsecs_p90", sockets.RttMicrosecsP90);
            Number(w, "net_tcp_rtt_microsecs_p95", sockets.RttMicrosecsP95);
            Number(w, "net_tcp_rtt_microsecs_p99", sockets.RttMicrosecsP99);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Round(v, 6));
        }
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }
}
