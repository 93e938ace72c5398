using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Harrier.Api.Security;

/// <summary>
/// Password hashes in ACL files: <c>pbkdf2-sha256:ITERATIONS:SALT:HASH</c> (salt and hash in base64), made by
/// <c>harrier acl hash-password</c>. Verification is constant-time in the hash comparison; its cost (PBKDF2) is paid
/// once per distinct Authorization header thanks to <see cref="Authenticator"/>'s cache.
/// </summary>
public static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";
    public const int DefaultIterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join(':', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Throws FormatException naming what is wrong with <paramref name="encoded"/>.</summary>
    public static void Validate(string encoded) => _ = Decode(encoded);

    public static bool Verify(string password, string encoded)
    {
        var (iterations, salt, expected) = Decode(encoded);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static (int Iterations, byte[] Salt, byte[] Hash) Decode(string encoded)
    {
        var parts = encoded.Split(':');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            throw new FormatException($"a password hash must look like {Scheme}:ITERATIONS:SALT:HASH (harrier acl hash-password makes one)");
        }
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 10_000 or > 10_000_000)
        {
            throw new FormatException("a password hash needs 10000 to 10000000 iterations");
        }
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var hash = Convert.FromBase64String(parts[3]);
            return salt.Length >= 8 && hash.Length >= 16 ? (iterations, salt, hash) : throw new FormatException("a password hash's salt or hash is too short");
        }
        catch (FormatException e) when (!e.Message.StartsWith("a password", StringComparison.Ordinal))
        {
            throw new FormatException("a password hash's salt and hash must be base64");
        }
    }
}
