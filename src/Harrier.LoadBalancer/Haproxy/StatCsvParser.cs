using System.Globalization;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// Reads <c>show stat</c>'s CSV (header line <c># pxname,svname,…</c>). Columns are found by name, so HAProxy
/// versions that add columns still parse; a row shorter than the header, or an unparsable number, reads as 0.
/// Names are HAProxy's own (they never contain commas: the config refuses them).
/// </summary>
internal static class StatCsvParser
{
    public static IReadOnlyList<HaproxyStat> Parse(string csv)
    {
        var rows = new List<HaproxyStat>();
        Dictionary<string, int>? columns = null;
        foreach (var raw in csv.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                columns = [];
                var names = line[2..].Split(',');
                for (var i = 0; i < names.Length; i++)
                {
                    columns.TryAdd(names[i].Trim(), i);
                }
                continue;
            }
            if (columns is null || line.Length == 0)
            {
                continue;
            }
            var f = line.Split(',');
            string Text(string name) => columns.TryGetValue(name, out var i) && i < f.Length ? f[i] : "";
            long Number(string name) => long.TryParse(Text(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;
            if (Text("pxname").Length == 0)
            {
                continue;
            }
            rows.Add(new HaproxyStat(
                Text("pxname"), Text("svname"), (int)Number("type"), (int)Number("iid"), Text("status"), Number("weight"), Number("scur"), Number("qcur"),
                Number("stot"), Number("req_tot"), Number("hrsp_1xx"), Number("hrsp_2xx"), Number("hrsp_3xx"), Number("hrsp_4xx"),
                Number("hrsp_5xx"), Number("ereq"), Number("eresp"), Number("econ"), Number("qtime"), Number("ctime"), Number("rtime"),
                Number("ttime")));
        }
        return rows;
    }
}
