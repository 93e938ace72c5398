using System.Security.Cryptography;
using System.Text;

namespace Harrier.Api.Security;

/// <summary>
/// Bearer tokens in ACL files are stored as <c>sha256:HEX</c> of the token, never the token itself. Tokens are random
/// (<c>harrier acl new-token</c> makes 256-bit ones), so one fast hash suffices where passwords need PBKDF2.
/// </summary>
public static class TokenHash
{
    public const string Prefix = "sha256:";

    public static string NewToken() => "hrt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Of(string token) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Throws FormatException unless <paramref name="encoded"/> is <c>sha256:</c> and 64 hex digits.</summary>
    public static string Normalize(string encoded)
    {
        if (!encoded.StartsWith(Prefix, StringComparison.Ordinal) || encoded.Length != Prefix.Length + 64 || !encoded[Prefix.Length..].All(Uri.IsHexDigit))
        {
            throw new FormatException("a token must be given as sha256:HEX (64 hex digits; harrier acl new-token makes one)");
        }
        return encoded.ToLowerInvariant();
    }
}
