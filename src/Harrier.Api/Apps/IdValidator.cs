using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>Ids and dependencies (<c>PathId.pathIdValidator</c>, <c>absolutePathValidator</c>, <c>nonEmptyPath</c>).</summary>
internal static class IdValidator
{
    public const string ReservedMessage = "must not end with any of the following reserved keywords: restart, tasks, versions, ., ..";

    private static readonly string[] Reserved = ["restart", "tasks", "versions", ".", ".."];

    public static IEnumerable<Violation> Validate(string rawId, IReadOnlyList<string> dependencies)
    {
        var segments = rawId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && Reserved.Contains(segments[^1]))
        {
            yield return new Violation("/id", ReservedMessage);
        }
        var canonical = Core.Ids.PathId.Parse(rawId, Core.Ids.PathId.Root);
        if (canonical.IsRoot)
        {
            yield return new Violation("/id", "Path must contain at least one path element");
            yield return new Violation("/", "must not be root");
        }
        for (var i = 0; i < dependencies.Count; i++)
        {
            var dep = dependencies[i].Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (dep.Length > 0 && Reserved.Contains(dep[^1]))
            {
                yield return new Violation($"/dependencies({i})", ReservedMessage);
            }
        }
    }
}
