using System.Text.RegularExpressions;

namespace Harrier.Api.Apps;

/// <summary>The string patterns of Marathon's RAML types (<c>stringTypes.raml</c>, <c>app.raml</c>).</summary>
internal static partial class RamlPatterns
{
    [GeneratedRegex(@"^(\/?((\.\.)|(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9]))?($|\/))+$", RegexOptions.None, 1000)]
    public static partial Regex PathId();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.None, 1000)]
    public static partial Regex LegacyName();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.None, 1000)]
    public static partial Regex Name();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$", RegexOptions.None, 1000)]
    public static partial Regex NetworkName();

    [GeneratedRegex(@"^(?:(//cmd)|(/?[^/]+(/[^/]+)*)|)$", RegexOptions.None, 1000)]
    public static partial Regex Executor();
}
