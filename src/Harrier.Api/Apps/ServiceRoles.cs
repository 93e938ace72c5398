using System.Text.Json;
using Harrier.Api.Errors;
using Harrier.Core.Apps;
using Harrier.Core.Groups;
using Harrier.Core.Ids;

namespace Harrier.Api.Apps;

/// <summary>
/// §12.3, Marathon's <c>RoleSettings.forService</c>: the default and the valid roles of a run spec. Directly under
/// <c>/</c> only <c>--mesos_role</c>; under a top-level group <c>/t</c> that enforces its role only <c>t</c> (the
/// default); under one that does not, <c>--mesos_role</c> (the default) or <c>t</c>. The run spec's current role
/// always stays valid. Shared by group bodies and <c>/v2/apps</c>.
/// </summary>
internal static class ServiceRoles
{
    /// <param name="enforceRole">Whether the top-level group enforces its role (ignored for run specs under <c>/</c>).</param>
    public static (string Default, IReadOnlySet<string> Valid) For(PathId group, string mesosRole, bool enforceRole, AppSpec? current)
    {
        var valid = new HashSet<string>(StringComparer.Ordinal);
        if (current is not null)
        {
            valid.Add(current.Role);
        }
        if (group.IsRoot)
        {
            valid.Add(mesosRole);
            return (mesosRole, valid);
        }
        var top = TopLevel(group);
        valid.Add(top.Name);
        if (!enforceRole)
        {
            valid.Add(mesosRole);
        }
        return (enforceRole ? top.Name : mesosRole, valid);
    }

    /// <summary>
    /// Whether the top-level group above <paramref name="group"/> enforces its role: as stored, or, for a group that does
    /// not exist yet (a new app creates it), <c>--new_group_enforce_role</c>.
    /// </summary>
    public static bool Enforced(PathId group, IReadOnlyDictionary<PathId, GroupNode> groups, bool newGroupEnforceRole) =>
        !group.IsRoot && (groups.TryGetValue(TopLevel(group), out var top) ? top.EnforceRole ?? false : newGroupEnforceRole);

    /// <summary>The violation of a role outside <paramref name="valid"/> (at <paramref name="path"/>), or null.</summary>
    public static Violation? Check(string role, IReadOnlySet<string> valid, string path) =>
        valid.Contains(role) ? null : new Violation(path, $"got \"{role}\", expected one of [{string.Join(", ", valid)}]");

    /// <summary>
    /// For <c>/v2/apps</c>: the read context whose default role is the app's (§12.3), from the id in the URL or, for a
    /// POST, in the body (an id that does not parse leaves the context as it is; the reader reports it).
    /// </summary>
    public static (AppReadContext Context, IReadOnlySet<string> Valid) ForApp(
        AppReadContext context, JsonElement body, PathId? urlId, IReadOnlyDictionary<PathId, GroupNode> groups,
        IReadOnlyDictionary<PathId, AppSpec> apps, bool newGroupEnforceRole)
    {
        var id = urlId;
        if (id is null && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("id", out var raw) && raw.ValueKind == JsonValueKind.String)
        {
            try
            {
                id = PathId.Parse(raw.GetString()!);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                id = null;
            }
        }
        if (id is not { IsRoot: false } appId)
        {
            return (context, new HashSet<string>([context.DefaultRole], StringComparer.Ordinal));
        }
        var roles = For(appId.Parent, context.DefaultRole, Enforced(appId.Parent, groups, newGroupEnforceRole), apps.GetValueOrDefault(appId));
        return (context with { DefaultRole = roles.Default }, roles.Valid);
    }

    private static PathId TopLevel(PathId group) => PathId.FromSegments([group.Segments[0]]);
}
