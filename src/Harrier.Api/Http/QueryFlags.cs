using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Http;

/// <summary>Boolean query parameters as Marathon reads them (<c>?force=true</c>; absent = the default).</summary>
internal static class QueryFlags
{
    public static bool Flag(this HttpRequest request, string name, bool fallback = false)
    {
        var value = request.Query[name].ToString();
        return string.IsNullOrEmpty(value) ? fallback : bool.TryParse(value, out var b) ? b : fallback;
    }

    public static IReadOnlyList<string> Embeds(this HttpRequest request) =>
        [.. request.Query["embed"].Where(v => !string.IsNullOrEmpty(v)).SelectMany(v => v!.Split(',')).Select(v => v.Trim())];
}
