using System.Security.Cryptography;
using System.Text;
using Harrier.Core.Ids;

namespace Harrier.Protocol;

/// <summary>
/// Self-certifying agent ids. An agent makes a random secret on its first start and keeps it in its work dir; its id is
/// derived from the secret (<c>harrier-agent-</c> and 40 hex digits of its SHA-256). Ids are public (<c>/v2/agents</c>),
/// the secret never leaves the agent except to prove the id at registration, so a server that has forgotten every
/// session (it restarted) still tells the agent from someone who only knows its id, without storing anything.
/// Ids of another shape (agents from before this scheme, simulated agents) cannot be proven this way: they are bound
/// to the first session that registers them on a running server (see the agent protocol's README).
/// </summary>
public static class AgentIdProof
{
    private const string Prefix = "harrier-agent-";
    private const int HexDigits = 40;

    /// <summary>A fresh secret: 32 random bytes, base64url.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The id a secret proves.</summary>
    public static AgentId IdFor(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return new AgentId(Prefix + Convert.ToHexStringLower(hash)[..HexDigits]);
    }

    /// <summary>True for an id of the self-certifying shape: registering it needs its secret.</summary>
    public static bool IsSelfCertifying(AgentId id) =>
        id.Value is { } v && v.Length == Prefix.Length + HexDigits && v.StartsWith(Prefix, StringComparison.Ordinal)
        && v.AsSpan(Prefix.Length).IndexOfAnyExcept(LowerHex) < 0;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>True when <paramref name="secret"/> is the secret of <paramref name="id"/>.</summary>
    public static bool Proves(AgentId id, string? secret) =>
        secret is { Length: > 0 and <= 256 } && IsSelfCertifying(id) && IdFor(secret) == id;
}
