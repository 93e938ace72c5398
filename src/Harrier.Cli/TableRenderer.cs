using System.Text;
using Spectre.Console;

namespace Harrier.Cli;

/// <summary>
/// Tables: a Spectre.Console table on a terminal; otherwise plain columns separated by two spaces with no borders,
/// colours or trailing blanks, so that redirected output is stable for grep, awk and tests.
/// </summary>
internal static class TableRenderer
{
    public static void Write(CliConsole console, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var materialized = rows.ToList();
        if (console.IsTerminal)
        {
            WriteTerminal(console.Out, headers, materialized);
        }
        else
        {
            console.Out.Write(Plain(headers, materialized));
        }
    }

    public static string Plain(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < widths.Length && i < row.Count; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(headers))
        {
            var line = new StringBuilder();
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = i < row.Count ? row[i] : "";
                line.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i] + 2));
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    private static void WriteTerminal(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        // Never wrap inside a cell: a task id cut over four lines cannot be copied. A table wider than the terminal
        // is left for the terminal to wrap, as plain columns would be.
        var needed = headers.Select((h, i) => rows.Select(r => i < r.Count ? r[i].Length : 0).Append(h.Length).Max() + 3).Sum() + 1;
        console.Profile.Width = Math.Max(console.Profile.Width, needed);
        var table = new Table { Border = TableBorder.Rounded };
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))).NoWrap());
        }
        foreach (var row in rows)
        {
            // Text, not markup: ids and commands may contain '[' which Spectre would parse as style tags.
            table.AddRow(headers.Select((_, i) => (Spectre.Console.Rendering.IRenderable)new Text(i < row.Count ? row[i] : "")));
        }
        console.Write(table);
    }
}
