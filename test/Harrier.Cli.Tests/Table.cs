using System.Text.RegularExpressions;

namespace Harrier.Cli.Tests;

/// <summary>Reads plain table output back into cells (columns are separated by two or more spaces).</summary>
public static partial class Table
{
    public static List<string[]> Rows(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => Separator().Split(line))];

    [GeneratedRegex(" {2,}")]
    private static partial Regex Separator();
}
