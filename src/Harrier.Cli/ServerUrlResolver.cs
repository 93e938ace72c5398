namespace Harrier.Cli;

/// <summary>Which server a verb talks to: <c>--server</c>, else <c>HARRIER_URL</c>, else the local dev server.</summary>
internal static class ServerUrlResolver
{
    public const string EnvironmentVariable = "HARRIER_URL";
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <returns>The server URL, or null with <paramref name="error"/> set when the chosen value is not an http(s) URL.</returns>
    public static Uri? Resolve(string? flag, Func<string, string?> getEnv, out string? error)
    {
        var (value, source) = !string.IsNullOrWhiteSpace(flag)
            ? (flag, "--server")
            : getEnv(EnvironmentVariable) is { Length: > 0 } env && !string.IsNullOrWhiteSpace(env)
                ? (env, EnvironmentVariable)
                : (DefaultUrl, "default");
        value = value.Trim();
        // "host:port" is accepted as shorthand for http://host:port.
        var candidate = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host))
        {
            error = null;
            return uri;
        }
        error = $"invalid server URL '{value}' (from {source}): expected http://host:port";
        return null;
    }
}
