using System.Text.Json;
using System.Text.RegularExpressions;
using Harrier.Api.Errors;

namespace Harrier.Api.Balancers;

/// <summary>
/// Reads what a balancer sends (<c>/harrier/v1/balancers/…</c>): its id in the URL, the registration and confirmation
/// bodies and the long poll's <c>wait</c>. Anything else is a 422 in Marathon's shape; nothing here throws on input.
/// </summary>
internal static partial class BalancerRequestReader
{
    public const int MaxGroups = 32;
    public const int MaxStatsUrlLength = 2048;
    public const int MaxTaskIds = 10_000;
    public const int MaxTaskIdLength = 1024;
    public const int DefaultWaitSeconds = 25;
    public const int MaxWaitSeconds = 30;

    public const string IdMessage = "Balancer ids are 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.";

    public static ApiError? CheckId(string id) =>
        IdPattern().IsMatch(id) ? null : ApiError.ValidationFailed([new Violation("/id", IdMessage)]);

    /// <summary><c>{"groups":[…],"statsUrl":"http://…"}</c>: groups non-empty, each a group name or <c>*</c>; statsUrl an absolute http(s) URL.</summary>
    public static (BalancerRegistrationBody? Body, ApiError? Error) ReadRegistration(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, ApiError.JsonTypeErrors([new Violation("/", "error.expected.jsobject")]));
        }
        var violations = new List<Violation>();
        var groups = new List<string>();
        if (!root.TryGetProperty("groups", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return (null, ApiError.JsonTypeErrors([new Violation("/groups", "error.path.missing")]));
        }
        if (list.ValueKind != JsonValueKind.Array)
        {
            return (null, ApiError.JsonTypeErrors([new Violation("/groups", "error.expected.jsarray")]));
        }
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"/groups({index++})";
            if (Text(item) is not { } group)
            {
                return (null, ApiError.JsonTypeErrors([new Violation(path, "error.expected.jsstring")]));
            }
            if (group != "*" && !GroupPattern().IsMatch(group))
            {
                violations.Add(new Violation(path, "must be '*' or a group name: 1 to 63 characters of A-Z, a-z, 0-9, '.', '_' and '-'"));
            }
            else if (!groups.Contains(group))
            {
                groups.Add(group);
            }
        }
        if (index == 0)
        {
            violations.Add(new Violation("/groups", "must not be empty"));
        }
        else if (index > MaxGroups)
        {
            violations.Add(new Violation("/groups", $"must not have more than {MaxGroups} entries"));
        }
        string? statsUrl = null;
        if (root.TryGetProperty("statsUrl", out var url) && url.ValueKind != JsonValueKind.Null)
        {
            statsUrl = Text(url);
            if (statsUrl is null)
            {
                return (null, ApiError.JsonTypeErrors([new Violation("/statsUrl", "error.expected.jsstring")]));
            }
            if (statsUrl.Length > MaxStatsUrlLength
                || !Uri.TryCreate(statsUrl, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(uri.Host)
                || statsUrl.Any(char.IsControl))
            {
                violations.Add(new Violation("/statsUrl", "must be an absolute http or https URL"));
            }
        }
        return violations.Count > 0 ? (null, ApiError.ValidationFailed(violations)) : (new BalancerRegistrationBody(groups, statsUrl), null);
    }

    /// <summary><c>{"taskIds":["…"]}</c>.</summary>
    public static (IReadOnlyList<string>? TaskIds, ApiError? Error) ReadConfirmation(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, ApiError.JsonTypeErrors([new Violation("/", "error.expected.jsobject")]));
        }
        if (!root.TryGetProperty("taskIds", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return (null, ApiError.JsonTypeErrors([new Violation("/taskIds", "error.path.missing")]));
        }
        if (list.ValueKind != JsonValueKind.Array)
        {
            return (null, ApiError.JsonTypeErrors([new Violation("/taskIds", "error.expected.jsarray")]));
        }
        if (list.GetArrayLength() > MaxTaskIds)
        {
            return (null, ApiError.ValidationFailed([new Violation("/taskIds", $"must not have more than {MaxTaskIds} entries")]));
        }
        var ids = new List<string>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"/taskIds({index++})";
            if (Text(item) is not { } id)
            {
                return (null, ApiError.JsonTypeErrors([new Violation(path, "error.expected.jsstring")]));
            }
            if (id.Length is 0 or > MaxTaskIdLength)
            {
                return (null, ApiError.ValidationFailed([new Violation(path, $"must be 1 to {MaxTaskIdLength} characters")]));
            }
            ids.Add(id);
        }
        return (ids, null);
    }

    /// <summary>The long poll's <c>wait</c> in whole seconds, 0 to 30; 25 when absent.</summary>
    public static (TimeSpan Wait, ApiError? Error) ReadWait(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return (TimeSpan.FromSeconds(DefaultWaitSeconds), null);
        }
        return int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxWaitSeconds
            ? (TimeSpan.FromSeconds(seconds), null)
            : (TimeSpan.Zero, ApiError.ValidationFailed([new Violation("/wait", $"must be a whole number of seconds from 0 to {MaxWaitSeconds}")]));
    }

    /// <summary>A JSON string's text; null for anything else, or a string that is not valid UTF-16 (a lone surrogate).</summary>
    private static string? Text(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,63}$")]
    private static partial Regex GroupPattern();
}
