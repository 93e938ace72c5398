using Harrier.Api.Errors;
using Harrier.Core.Ids;

namespace Harrier.Api.Apps;

/// <summary>
/// Ids and dependencies, checked in canonical form (<c>PathId.pathIdValidator</c>, <c>nonEmptyPath</c>, "must not be
/// root"): relative ids are resolved against the base first, as Marathon's <c>withCanonizedIds</c> does.
/// </summary>
internal static class IdValidator
{
    public const string ReservedMessage = "must not end with any of the following reserved keywords: restart, tasks, versions, ., ..";

    private static readonly string[] Reserved = ["restart", "tasks", "versions", ".", ".."];

    public static IEnumerable<Violation> Validate(string rawId, IReadOnlyList<string> dependencies, PathId baseId)
    {
        var canonical = PathId.Parse(rawId, baseId);
        if (canonical.IsRoot)
        {
            yield return new Violation("/id", "Path must contain at least one path element");
            yield return new Violation("/", "must not be root");
        }
        else if (Reserved.Contains(canonical.Name))
        {
            yield return new Violation("/id", ReservedMessage);
        }
        if (IdLimits.Check(canonical) is { } tooLong)
        {
            yield return tooLong;
        }
        for (var i = 0; i < dependencies.Count; i++)
        {
            var dep = PathId.Parse(dependencies[i], baseId);
            if (!dep.IsRoot && Reserved.Contains(dep.Name))
            {
                yield return new Violation($"/dependencies({i})", ReservedMessage);
            }
        }
    }
}
