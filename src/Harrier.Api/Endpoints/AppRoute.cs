using System.Text.RegularExpressions;
using Harrier.Core.Ids;

namespace Harrier.Api.Endpoints;

internal enum AppRouteKind
{
    App,
    Restart,
    Tasks,
    Task,
    TaskLogs,
    Versions,
    Version,
    GroupApps,
    GroupTasks,
}

/// <summary>
/// What a path under <c>/v2/apps/</c> names. App ids contain slashes, so the suffix decides: <c>…/restart</c>,
/// <c>…/tasks[/{taskId}[/logs]]</c>, <c>…/versions[/{ts}]</c>, <c>…/*</c> (every app of a group). Reserved last segments
/// (<c>restart</c>, <c>tasks</c>, <c>versions</c>) can never be app names, so the parse is unambiguous.
/// </summary>
internal sealed partial record AppRoute(AppRouteKind Kind, PathId Id, string? Extra = null)
{
    public static AppRoute Parse(string rest)
    {
        rest = rest.Trim('/');
        Match m;
        if ((m = GroupTasksPattern().Match(rest)).Success)
        {
            return new(AppRouteKind.GroupTasks, PathId.Parse(m.Groups["id"].Value));
        }
        if ((m = GroupPattern().Match(rest)).Success)
        {
            return new(AppRouteKind.GroupApps, PathId.Parse(m.Groups["id"].Value));
        }
        if ((m = LogsPattern().Match(rest)).Success)
        {
            return new(AppRouteKind.TaskLogs, PathId.Parse(m.Groups["id"].Value), m.Groups["x"].Value);
        }
        if ((m = TaskPattern().Match(rest)).Success)
        {
            return new(AppRouteKind.Task, PathId.Parse(m.Groups["id"].Value), m.Groups["x"].Value);
        }
        if ((m = VersionPattern().Match(rest)).Success)
        {
            return new(AppRouteKind.Version, PathId.Parse(m.Groups["id"].Value), Uri.UnescapeDataString(m.Groups["x"].Value));
        }
        if (rest.EndsWith("/tasks", StringComparison.Ordinal))
        {
            return new(AppRouteKind.Tasks, PathId.Parse(rest[..^"/tasks".Length]));
        }
        if (rest.EndsWith("/versions", StringComparison.Ordinal))
        {
            return new(AppRouteKind.Versions, PathId.Parse(rest[..^"/versions".Length]));
        }
        if (rest.EndsWith("/restart", StringComparison.Ordinal))
        {
            return new(AppRouteKind.Restart, PathId.Parse(rest[..^"/restart".Length]));
        }
        return new(AppRouteKind.App, PathId.Parse(rest));
    }

    [GeneratedRegex(@"^(?<id>.*?)/?\*/tasks$")]
    private static partial Regex GroupTasksPattern();

    [GeneratedRegex(@"^(?<id>.*?)/?\*$")]
    private static partial Regex GroupPattern();

    [GeneratedRegex(@"^(?<id>.+)/tasks/(?<x>[^/]+)/logs$")]
    private static partial Regex LogsPattern();

    [GeneratedRegex(@"^(?<id>.+)/tasks/(?<x>[^/]+)$")]
    private static partial Regex TaskPattern();

    [GeneratedRegex(@"^(?<id>.+)/versions/(?<x>[^/]+)$")]
    private static partial Regex VersionPattern();
}
