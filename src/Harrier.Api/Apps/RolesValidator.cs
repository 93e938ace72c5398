using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>
/// <c>acceptedResourceRoles</c> (<c>ResourceRole.validAcceptedResourceRoles</c> and the multi-role rule of 1.9+: only
/// <c>*</c> and the app's role). Harrier rejects other roles rather than silently dropping them, which is Marathon's
/// behaviour with <c>--deprecated_features disable_sanitize_accepted_resource_roles</c>.
/// </summary>
internal static class RolesValidator
{
    private static readonly (char Char, string Name)[] ForbiddenChars =
    [
        ('\t', "horizontal tab (\\x09)"), ('\n', "line feed (\\x0a)"), ('\v', "vertical tab (\\x0b)"), ('\f', "form feed (\\x0c)"),
        ('\r', "carriage return (\\x0d)"), (' ', "space (\\x20)"), ('/', "slash (\\x2f)"), ((char)127, "backspace (\\x7f)"),
    ];

    public static IEnumerable<Violation> Validate(AppRaml app, AppReadContext context)
    {
        if (app.AcceptedResourceRoles is not { } roles)
        {
            yield break;
        }
        const string P = "/acceptedResourceRoles";
        if (roles.Count == 0)
        {
            yield return new Violation(P, "must not be empty");
            yield break;
        }
        for (var i = 0; i < roles.Count; i++)
        {
            foreach (var message in RoleNameErrors(roles[i]))
            {
                yield return new Violation($"{P}({i})", message);
            }
        }
        var role = app.Role ?? context.DefaultRole;
        if (app.Residency is not null && !roles.All(r => r == "*"))
        {
            yield return new Violation(P, "A resident app must have `acceptedResourceRoles = [\"*\"]`.");
        }
        else if (roles.Any(r => r != "*" && r != role))
        {
            yield return new Violation(P, $"acceptedResourceRoles can only contain * and {role}");
        }
    }

    /// <summary>Mesos role-name rules (<c>ResourceRole.validResourceRole</c>).</summary>
    public static IEnumerable<string> RoleNameErrors(string role)
    {
        if (role is "" or "." or "..")
        {
            yield return $"A role name must not be \"{role}\".";
        }
        if (role.StartsWith('-'))
        {
            yield return "A role name must not start with a '-'.";
        }
        foreach (var (c, name) in ForbiddenChars)
        {
            if (role.Contains(c, StringComparison.Ordinal))
            {
                yield return $"A role name must not include a {name} character.";
            }
        }
    }
}
