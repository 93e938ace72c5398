using System.Globalization;
using System.Text.RegularExpressions;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// Reads the master CLI's <c>show proc</c>: a master line (<c>PID master RELOADS [failed: N] …</c>), then sections
/// <c># workers</c>, <c># old workers</c>, <c># programs</c>. Anything that does not parse is ignored; no master line
/// gives null.
/// </summary>
internal static partial class ShowProcParser
{
    public static HaproxyProcesses? Parse(string text)
    {
        int? master = null;
        int reloads = 0, failed = 0;
        var workers = new List<int>();
        var old = new List<int>();
        var section = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                section = line.StartsWith("#<", StringComparison.Ordinal) ? "" : line.TrimStart('#').Trim();
                continue;
            }
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
            {
                continue;
            }
            if (fields[1] == "master" && master is null)
            {
                master = pid;
                if (fields.Length > 2)
                {
                    _ = int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out reloads);
                }
                var m = FailedPattern().Match(line);
                if (m.Success)
                {
                    _ = int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out failed);
                }
            }
            else if (fields[1] == "worker")
            {
                (section == "old workers" ? old : workers).Add(pid);
            }
        }
        return master is { } p ? new HaproxyProcesses(p, workers, old, reloads, failed) : null;
    }

    [GeneratedRegex(@"\[failed:\s*(\d+)\]")]
    private static partial Regex FailedPattern();
}
