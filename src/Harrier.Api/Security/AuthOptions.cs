namespace Harrier.Api.Security;

/// <summary>
/// Who may use the API. Off (the default, for <c>harrier dev</c> on loopback) means every request is
/// <see cref="Principal.Unrestricted"/>; <see cref="Credentials"/> (Marathon's <c>--http_credentials</c>) and
/// <see cref="Acl"/> (<c>--acl-file</c>) turn it on for every endpoint but <c>/ping</c> and the agent protocol (which
/// agents authenticate to by their own join token and session).
/// </summary>
public sealed class AuthOptions
{
    /// <summary>The Basic realm in <c>WWW-Authenticate</c> (<c>--http-realm</c>; Marathon's default).</summary>
    public string Realm { get; set; } = "Mesosphere";

    /// <summary>USER, PASSWORD pairs of <c>--http-credentials</c>: administrators of everything.</summary>
    public IList<KeyValuePair<string, string>> Credentials { get; } = [];

    /// <summary>The principals of <c>--acl-file</c>.</summary>
    public IList<AclEntry> Acl { get; } = [];

    public bool Enabled => Credentials.Count > 0 || Acl.Count > 0;
}
