using System.Globalization;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Parses HAProxy's <c>;csv</c> stats (<c># pxname,svname,qcur,…</c> then one line per proxy/server). Columns are
/// found by name from the header, and a new header line (several HAProxy outputs one after another) starts a new
/// block. The text comes from a balancer over the network: a line with too few fields is skipped, and text without a
/// header with <c>pxname</c>, <c>svname</c>, <c>qcur</c>, <c>scur</c> and <c>status</c> is a
/// <see cref="FormatException"/> with a short reason, never a crash.
/// </summary>
internal static class HaproxyStatsCsv
{
    private static readonly string[] Required = ["pxname", "svname", "qcur", "scur", "status"];

    /// <summary>Every row, all blocks together.</summary>
    public static IReadOnlyList<HaproxyStatsRow> Parse(string text) => [.. ParseBlocks(text).SelectMany(b => b)];

    /// <summary>The rows of each header block (one block per HAProxy whose output was concatenated).</summary>
    public static IReadOnlyList<IReadOnlyList<HaproxyStatsRow>> ParseBlocks(string text)
    {
        var blocks = new List<IReadOnlyList<HaproxyStatsRow>>();
        List<HaproxyStatsRow>? rows = null;
        int[]? columns = null;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] == '#')
            {
                columns = Header(line, lineNumber);
                rows = [];
                blocks.Add(rows);
                continue;
            }
            if (columns is null || rows is null)
            {
                throw new FormatException($"line {lineNumber} comes before the '# pxname,svname,…' header: not HAProxy CSV stats");
            }
            var fields = Split(line);
            if (fields.Count <= columns.Max())
            {
                continue;
            }
            rows.Add(new HaproxyStatsRow(fields[columns[0]], fields[columns[1]], fields[columns[4]], Count(fields[columns[2]]), Count(fields[columns[3]])));
        }
        if (blocks.Count == 0)
        {
            throw new FormatException("no '# pxname,svname,…' header: not HAProxy CSV stats");
        }
        return blocks;
    }

    private static int[] Header(string line, int lineNumber)
    {
        var names = Split(line.TrimStart('#', ' '));
        var columns = new int[Required.Length];
        for (var i = 0; i < Required.Length; i++)
        {
            columns[i] = names.IndexOf(Required[i]);
            if (columns[i] < 0)
            {
                throw new FormatException($"the header on line {lineNumber} has no '{Required[i]}' column: not HAProxy CSV stats");
            }
        }
        return columns;
    }

    private static int? Count(string field) =>
        field.Length == 0 ? 0 : int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Splits on commas; a field in double quotes may hold commas (<c>""</c> is a quote).</summary>
    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"' && current.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        fields.Add(current.ToString());
        return fields;
    }
}
