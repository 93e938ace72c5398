using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Harrier.Api.Endpoints;

/// <summary>
/// Mesos' <c>/monitor/statistics</c> entries as Prometheus series, one per task and figure:
/// <c>harrier_task_cpus_user_time_secs{agent="…",task="…"}</c> and so on for every numeric statistic.
/// </summary>
internal static class TaskStatisticsPrometheus
{
    /// <summary>Renders the agent's answer; false with the reason when it is not a list of Mesos statistics entries.</summary>
    public static bool TryRender(string agentId, string statisticsJson, out string text, out string? error)
    {
        try
        {
            text = Render(agentId, statisticsJson);
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            text = "";
            error = e.Message;
            return false;
        }
    }

    public static string Render(string agentId, string statisticsJson)
    {
        using var doc = JsonDocument.Parse(statisticsJson);
        var series = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in doc.RootElement.EnumerateArray())
        {
            var task = entry.GetProperty("executor_id").GetString() ?? "";
            foreach (var figure in entry.GetProperty("statistics").EnumerateObject())
            {
                if (figure.Name == "timestamp" || figure.Value.ValueKind != JsonValueKind.Number)
                {
                    continue;
                }
                var name = "harrier_task_" + figure.Name;
                if (!series.TryGetValue(name, out var lines))
                {
                    series[name] = lines = [];
                }
                lines.Add($"{name}{{agent=\"{Escape(agentId)}\",task=\"{Escape(task)}\"}} {figure.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture)}");
            }
        }
        var text = new StringBuilder();
        foreach (var (name, lines) in series)
        {
            var kind = name.EndsWith("_secs", StringComparison.Ordinal) || name.Contains("_nr_", StringComparison.Ordinal) ? "counter" : "gauge";
            text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
            foreach (var line in lines)
            {
                text.Append(line).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
