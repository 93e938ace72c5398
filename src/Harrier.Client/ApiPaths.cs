using System.Text;

namespace Harrier.Client;

/// <summary>
/// Relative request paths. App ids keep their slashes (<c>/v2/apps/prod/web</c>, never <c>prod%2Fweb</c>): Marathon
/// routes on the path segments. Each segment is escaped on its own, so ids with odd characters cannot change the route.
/// </summary>
internal static class ApiPaths
{
    public static string App(string appId) => "v2/apps/" + AppSegments(appId);

    /// <summary><c>v2/groups</c> for the root (<c>/</c> or empty), else <c>v2/groups/a/b</c>.</summary>
    public static string Group(string groupId)
    {
        var segments = (groupId ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 ? "v2/groups" : "v2/groups/" + string.Join('/', segments.Select(Uri.EscapeDataString));
    }

    public static string Task(string appId, string taskId) => App(appId) + "/tasks/" + Uri.EscapeDataString(RequireNonEmpty(taskId, "task id"));

    public static string AppSegments(string appId)
    {
        var segments = RequireNonEmpty(appId, "app id").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            throw new ArgumentException("An app id must name an app, not '/'.", nameof(appId));
        }
        return string.Join('/', segments.Select(Uri.EscapeDataString));
    }

    /// <summary>Appends the query; parameters with a null value are left out, so server-side defaults apply.</summary>
    public static string WithQuery(string path, params (string Name, string? Value)[] parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }
            query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return path + query;
    }

    public static string? Flag(bool value) => value ? "true" : null;

    private static string RequireNonEmpty(string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        return string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"The {what} must not be empty.", nameof(value)) : value.Trim();
    }
}
