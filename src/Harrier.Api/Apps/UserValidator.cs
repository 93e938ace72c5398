using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>
/// <c>--allowed-users</c> (Harrier's; Marathon has none): an app may name only an allowed user in <c>user</c>, and
/// a container only an allowed one in its <c>user</c> docker parameter. An app without <c>user</c> runs as its
/// agent's default user (or a container image's own) and is always allowed.
/// </summary>
internal static class UserValidator
{
    public static string NotAllowed(string user) => $"user '{user}' is not allowed on this cluster (--allowed-users)";

    public static IEnumerable<Violation> Validate(AppRaml app, AppReadContext context)
    {
        if (context.AllowedUsers is not { } allowed)
        {
            yield break;
        }
        if (app.User is { } user && !allowed.Contains(user))
        {
            yield return new Violation("/user", NotAllowed(user));
        }
        var parameters = app.Container?.Docker?.Parameters ?? [];
        for (var i = 0; i < parameters.Count; i++)
        {
            // docker run --user USER[:GROUP]: the user part is what must be allowed.
            if (parameters[i].Key == "user" && parameters[i].Value.Split(':')[0] is var named && !allowed.Contains(named))
            {
                yield return new Violation($"/container/docker/parameters({i})/value", NotAllowed(named));
            }
        }
    }
}
