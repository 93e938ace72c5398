using System.Globalization;
using Harrier.Client;

namespace Harrier.Cli;

/// <summary>How values look in tables and summaries: invariant numbers, "-" for absent, short commands.</summary>
internal static class CellText
{
    public const int CommandWidth = 40;

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Or(string? value) => string.IsNullOrEmpty(value) ? "-" : value;

    public static string Ports(IReadOnlyList<int> ports) =>
        ports.Count == 0 ? "-" : string.Join(',', ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Cuts to <paramref name="width"/> characters, marking the cut with "...", and flattens newlines.</summary>
    public static string Truncate(string value, int width)
    {
        var flat = value.ReplaceLineEndings(" ");
        return flat.Length <= width ? flat : string.Concat(flat.AsSpan(0, width - 3), "...");
    }

    /// <summary>What an app runs: its cmd, its args, or its container image.</summary>
    public static string Command(AppInfo app) =>
        app.Cmd is { Length: > 0 } cmd ? cmd
        : app.Args.Count > 0 ? string.Join(' ', app.Args)
        : app.Image is { Length: > 0 } image ? $"image {image}"
        : "-";

    /// <summary>One word for an app's state; a running deployment wins over the instance counts.</summary>
    public static string Status(AppInfo app) =>
        app.DeploymentIds.Count > 0 ? "deploying"
        : app.Instances == 0 ? "suspended"
        : app.TasksUnhealthy > 0 ? "unhealthy"
        : app.TasksRunning >= app.Instances ? "running"
        : "waiting";

    public static string Health(bool? healthy) => healthy switch
    {
        true => "healthy",
        false => "unhealthy",
        null => "-",
    };
}
