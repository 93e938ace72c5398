using System.Text.Json;
using System.Text;
using Harrier.Core.Images;

namespace Harrier.Drivers.Images;

/// <summary>
/// Registry credentials from a Docker <c>config.json</c>: <c>auths</c> maps a registry (<c>host:port</c>, a URL,
/// or Docker Hub's <c>https://index.docker.io/v1/</c>) to <c>auth</c> (base64 of <c>user:password</c>) or to
/// <c>username</c>/<c>password</c>. Credential helpers are not supported.
/// </summary>
internal sealed class DockerCredentials
{
    private readonly Dictionary<string, (string User, string Password)> _byRegistry;

    private DockerCredentials(Dictionary<string, (string, string)> byRegistry) => _byRegistry = byRegistry;

    public static DockerCredentials None { get; } = new([]);

    public static DockerCredentials Load(string? path)
    {
        if (path is null)
        {
            return None;
        }
        var result = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
            {
                return new(result);
            }
            foreach (var entry in auths.EnumerateObject())
            {
                if (Parse(entry.Value) is { } credentials)
                {
                    result[Key(entry.Name)] = credentials;
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or IOException)
        {
            throw new InvalidOperationException($"Cannot read the Docker config '{path}': {e.Message}", e);
        }
        return new(result);
    }

    /// <summary>Credentials for a registry host (with port), or null.</summary>
    public (string User, string Password)? For(string registry) =>
        _byRegistry.TryGetValue(Key(registry), out var credentials) ? credentials : null;

    /// <summary>The value of an <c>Authorization: Basic</c> header.</summary>
    public static string BasicHeader((string User, string Password) credentials) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.User + ":" + credentials.Password));

    private static (string, string)? Parse(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? throw new FormatException("an 'auth' value is not base64 of user:password") : (decoded[..colon], decoded[(colon + 1)..]);
        }
        if (entry.TryGetProperty("username", out var user) && entry.TryGetProperty("password", out var password))
        {
            return (user.GetString() ?? "", password.GetString() ?? "");
        }
        return null;
    }

    /// <summary>The registry's <c>host[:port]</c>: scheme and path dropped, Docker Hub's aliases folded into one.</summary>
    private static string Key(string registry)
    {
        var key = registry;
        var scheme = key.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            key = key[(scheme + 3)..];
        }
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            key = key[..slash];
        }
        return key is "index.docker.io" or "registry-1.docker.io" ? ImageReference.DockerHub : key.ToLowerInvariant();
    }
}
