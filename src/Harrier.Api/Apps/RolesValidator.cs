using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary><c>acceptedResourceRoles</c> and <c>role</c> (<c>ResourceRole.validAcceptedResourceRoles</c>, multi-role rules of 1.9+).</summary>
internal static class RolesValidator
{
    public static IEnumerable<Violation> Validate(AppRaml app, AppReadContext context)
    {
        var role = app.Role ?? context.DefaultRole;
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
        foreach (var r in roles.Where(r => !IsValidRoleName(r)).Distinct())
        {
            yield return new Violation(P, $"'{r}' is not a valid role name");
        }
        if (app.Residency is not null && !(roles.Count == 1 && roles[0] == "*"))
        {
            yield return new Violation(P, "A resident app must have `acceptedResourceRoles = [\"*\"]`.");
        }
        else if (roles.Any(r => r != "*" && r != role))
        {
            yield return new Violation(P, $"acceptedResourceRoles can only contain * and {role}");
        }
    }

    /// <summary>Mesos role names: not empty, <c>.</c> or <c>..</c>; no leading <c>-</c>; no whitespace, <c>/</c> or DEL.</summary>
    public static bool IsValidRoleName(string role) =>
        role.Length > 0 && role != "." && role != ".." && role[0] != '-'
        && !role.Any(c => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or '/' or (char)127);
}
