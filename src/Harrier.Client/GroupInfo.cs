using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>A group as <c>/v2/groups</c> returns it (GroupInfo, §2.2): its apps and child groups, recursively.</summary>
public sealed record GroupInfo(
    string Id,
    IReadOnlyList<AppInfo> Apps,
    IReadOnlyList<GroupInfo> Groups,
    IReadOnlyList<string> Dependencies,
    string? Version,
    bool? EnforceRole,
    JsonObject Raw)
{
    public static GroupInfo FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new GroupInfo(
            o.Str("id") ?? "/",
            [.. o.Objects("apps").Select(AppInfo.FromJson)],
            [.. o.Objects("groups").Select(FromJson)],
            o.Strings("dependencies"),
            o.Str("version"),
            o.Bool("enforceRole"),
            o);
    }

    /// <summary>Every app of this group and the groups below it.</summary>
    public IEnumerable<AppInfo> AllApps() => Apps.Concat(Groups.SelectMany(g => g.AllApps()));
}
