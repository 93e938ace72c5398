namespace Harrier.Agent.Health;

/// <summary>
/// What <see cref="RawHttpClient"/> read: the status line always; the content type and the body (capped) only when
/// asked for them.
/// </summary>
internal sealed record RawHttpResponse(int Status, string StatusText, string? ContentType = null, string? Body = null)
{
    /// <summary>The status as Marathon words a failure cause, e.g. "500 Internal Server Error".</summary>
    public string Cause => StatusText.Length == 0 ? Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Status} {StatusText}";
}
