using Harrier.Api.Security;

namespace Harrier.Host;

/// <summary>
/// The API's authentication flags: <c>--http-credentials USER:PASS</c> (Marathon's, repeatable; also the environment
/// variable <c>MESOSPHERE_HTTP_CREDENTIALS</c>), <c>--http-credentials-file FILE</c> (one USER:PASS per line),
/// <c>--http-realm</c>, <c>--acl-file FILE</c>, and <c>--insecure</c> to run a server on a non-loopback address
/// without any of them.
/// </summary>
internal sealed record AuthFlags
{
    public const string EnvironmentVariable = "MESOSPHERE_HTTP_CREDENTIALS";

    public IReadOnlyList<KeyValuePair<string, string>> Credentials { get; init; } = [];
    public IReadOnlyList<AclEntry> Acl { get; init; } = [];
    public string Realm { get; init; } = "Mesosphere";
    public bool Insecure { get; init; }

    public bool Enabled => Credentials.Count > 0 || Acl.Count > 0;

    public AuthFlags WithCredentials(string value) => this with { Credentials = [.. Credentials, Pair(value)] };

    public AuthFlags WithCredentialsFile(string path)
    {
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        return lines.Count > 0 ? this with { Credentials = [.. Credentials, .. lines.Select(Pair)] } : throw new FormatException("no USER:PASS line in the file");
    }

    public AuthFlags WithAclFile(string path) => this with { Acl = [.. Acl, .. AclFile.Load(path)] };

    /// <summary>Adds <c>MESOSPHERE_HTTP_CREDENTIALS</c> when set, as Marathon reads it.</summary>
    public AuthFlags WithEnvironment(Func<string, string?> getEnv) =>
        getEnv(EnvironmentVariable) is { Length: > 0 } env ? WithCredentials(env) : this;

    public void Apply(AuthOptions options)
    {
        options.Realm = Realm;
        foreach (var c in Credentials)
        {
            options.Credentials.Add(c);
        }
        foreach (var e in Acl)
        {
            options.Acl.Add(e);
        }
    }

    /// <summary>
    /// Null when the daemon may start; otherwise the one line saying why not: an API on a non-loopback address with
    /// no authentication, unless <c>--insecure</c>.
    /// </summary>
    public string? RefusalFor(string verb, string address) =>
        Enabled || Insecure || Harrier.Api.Http.RequestGuardOptions.IsLoopbackAddress(address)
            ? null
            : $"{verb}: refusing to serve the API on {address} without authentication: give --http-credentials USER:PASS or --acl-file FILE (or --insecure to accept that anyone who reaches the port can run commands as this agent's users)";

    public static string Hint(string verb) =>
        $"{verb}: authentication is off (fine on loopback); turn it on with --http-credentials USER:PASS or --acl-file FILE";

    private static KeyValuePair<string, string> Pair(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < value.Length - 1
            ? new(value[..colon], value[(colon + 1)..])
            : throw new FormatException("expected USER:PASS");
    }
}
