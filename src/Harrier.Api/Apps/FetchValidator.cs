using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>Artifact URIs must parse as <c>java.net.URI</c> would (<c>Validation.uriIsValid</c>).</summary>
internal static class FetchValidator
{
    public const string InvalidUri = "URI has invalid syntax.";

    public static IEnumerable<Violation> Validate(AppRaml app)
    {
        for (var i = 0; i < app.Fetch.Count; i++)
        {
            if (!IsValidUri(app.Fetch[i].Uri))
            {
                yield return new Violation($"/fetch({i})/uri", InvalidUri);
            }
        }
    }

    /// <summary>RFC 2396 as <c>java.net.URI</c> checks it: no spaces or excluded characters, valid escapes and scheme.</summary>
    public static bool IsValidUri(string uri)
    {
        if (uri.Length == 0)
        {
            return false;
        }
        for (var i = 0; i < uri.Length; i++)
        {
            var c = uri[i];
            if (c <= ' ' || c == 127 || "\"<>\\^`{|}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
            if (c == '%' && (i + 2 >= uri.Length || !Uri.IsHexDigit(uri[i + 1]) || !Uri.IsHexDigit(uri[i + 2])))
            {
                return false;
            }
        }
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        var slash = uri.IndexOfAny(['/', '?', '#']);
        if (colon == 0)
        {
            return false;
        }
        if (colon > 0 && (slash < 0 || colon < slash))
        {
            var scheme = uri[..colon];
            if (!char.IsAsciiLetter(scheme[0]) || !scheme.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '+' or '-' or '.'))
            {
                return false;
            }
            if (colon == uri.Length - 1)
            {
                return false;
            }
        }
        return true;
    }
}
