using System.Globalization;
using System.Text;

namespace Harrier.LoadBalancer.Live;

/// <summary>
/// The balancer's <c>/metrics</c> (Prometheus text): its own health (HAProxy up, last successful read of the apps,
/// reloads, runtime changes, refused configs, confirmed drains) and, per backend, HAProxy's request, error, session
/// and latency figures from <c>show stat</c>.
/// </summary>
internal static class LbMetrics
{
    public sealed record Own(bool ProxyUp, double? SecondsSinceRead, long Reads, long Reloads, long RuntimeChanges, long Rejected, long DrainsConfirmed, bool Registered, int Servers);

    public static string Format(Own own, ProxyStats? stats)
    {
        var b = new StringBuilder();
        Gauge(b, "harrier_lb_up", "1 while HAProxy answers its runtime API.", own.ProxyUp ? 1 : 0);
        if (own.SecondsSinceRead is { } age)
        {
            Gauge(b, "harrier_lb_last_read_age_seconds", "Seconds since the apps were last read from the server.", age);
        }
        Counter(b, "harrier_lb_reads_total", "Full reads of the apps.", own.Reads);
        Counter(b, "harrier_lb_reloads_total", "Seamless HAProxy reloads (the config's shape changed).", own.Reloads);
        Counter(b, "harrier_lb_runtime_changes_total", "Server changes applied through the runtime API without a reload.", own.RuntimeChanges);
        Counter(b, "harrier_lb_rejected_configs_total", "Configs HAProxy refused (the previous one kept serving).", own.Rejected);
        Counter(b, "harrier_lb_drains_confirmed_total", "Tasks drained and confirmed to the server before their kill.", own.DrainsConfirmed);
        Gauge(b, "harrier_lb_registered", "1 while registered with the server's balancer registry.", own.Registered ? 1 : 0);
        Gauge(b, "harrier_lb_servers", "Server lines in the running config.", own.Servers);
        if (stats is null)
        {
            return b.ToString();
        }
        var backends = stats.Rows.Where(r => r.IsBackend).OrderBy(r => r.Proxy, StringComparer.Ordinal).ToList();
        Family(b, backends, "harrier_lb_backend_requests_total", "counter", "HTTP requests (TCP: sessions) sent to the backend.", r => r.Requests > 0 ? r.Requests : r.TotalSessions);
        Family(b, backends, "harrier_lb_backend_responses_5xx_total", "counter", "HTTP 5xx responses from the backend.", r => r.Responses5xx);
        Family(b, backends, "harrier_lb_backend_connection_errors_total", "counter", "Failed connections to the backend's servers.", r => r.ConnectionErrors);
        Family(b, backends, "harrier_lb_backend_response_errors_total", "counter", "Responses aborted or invalid from the backend's servers.", r => r.ResponseErrors);
        Family(b, backends, "harrier_lb_backend_current_sessions", "gauge", "Sessions open to the backend.", r => r.CurrentSessions);
        Family(b, backends, "harrier_lb_backend_response_time_seconds", "gauge", "Average response time over the last 1,024 requests.", r => r.ResponseTimeMs / 1000.0);
        Family(b, backends, "harrier_lb_backend_total_time_seconds", "gauge", "Average total session time over the last 1,024 requests.", r => r.TotalTimeMs / 1000.0);
        Family(b, backends, "harrier_lb_backend_up", "gauge", "1 while the backend has a usable server.", r => r.Status == "UP" ? 1 : 0);
        return b.ToString();
    }

    private static void Gauge(StringBuilder b, string name, string help, double value) => Single(b, name, "gauge", help, value);

    private static void Counter(StringBuilder b, string name, string help, double value) => Single(b, name, "counter", help, value);

    private static void Single(StringBuilder b, string name, string type, string help, double value) =>
        b.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
         .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
         .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Family(StringBuilder b, List<ProxyStatRow> rows, string name, string type, string help, Func<ProxyStatRow, double> value)
    {
        b.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var r in rows)
        {
            b.Append(name).Append("{backend=\"").Append(Escape(r.Proxy)).Append("\"} ").Append(value(r).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static string Escape(string label) => label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
