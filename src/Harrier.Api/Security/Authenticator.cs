using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Harrier.Api.Security;

/// <summary>
/// Turns an <c>Authorization</c> header (<c>Basic</c> or <c>Bearer</c>) into a <see cref="Principal"/>, or null when it
/// proves nothing. Passwords are PBKDF2-hashed, so verdicts (good and bad) are cached per header value; at most two
/// PBKDF2 runs happen at once, so a flood of guesses costs the server two cores' worth of hashing at most and leaves
/// requests with cached credentials unaffected. Credential comparisons are constant-time.
/// </summary>
public sealed class Authenticator : IDisposable
{
    private const int CacheLimit = 4096;
    private readonly AuthOptions _options;
    private readonly Dictionary<string, AclEntry> _byToken;
    private readonly Dictionary<string, AclEntry> _byUser;
    private readonly ConcurrentDictionary<string, Principal?> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _hashing = new(2);

    public Authenticator(AuthOptions options)
    {
        _options = options;
        _byToken = options.Acl.Where(e => e.TokenHash is not null).ToDictionary(e => e.TokenHash!, StringComparer.Ordinal);
        _byUser = options.Acl.Where(e => e.PasswordHash is not null).ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public bool Enabled => _options.Enabled;

    public string Realm => _options.Realm;

    public async ValueTask<Principal?> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return Principal.Unrestricted;
        }
        if (string.IsNullOrEmpty(authorization) || authorization.Length > 8192)
        {
            return null;
        }
        // The cache key is a hash of the header, so no secret is kept as a key.
        var key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)));
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var principal = await VerifyAsync(authorization, cancellationToken);
        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear();
        }
        _cache[key] = principal;
        return principal;
    }

    private async ValueTask<Principal?> VerifyAsync(string authorization, CancellationToken cancellationToken)
    {
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }
        var scheme = authorization[..space];
        var value = authorization[(space + 1)..].Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return _byToken.TryGetValue(TokenHash.Of(value), out var entry) ? new Principal(entry.Name, entry.Grants) : null;
        }
        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || !TryDecodeBasic(value, out var user, out var password))
        {
            return null;
        }
        foreach (var (name, secret) in _options.Credentials)
        {
            if (FixedTimeEquals(name, user) & FixedTimeEquals(secret, password))
            {
                return Principal.Administrator(name);
            }
        }
        if (!_byUser.TryGetValue(user, out var acl))
        {
            return null;
        }
        await _hashing.WaitAsync(cancellationToken);
        try
        {
            return PasswordHash.Verify(password, acl.PasswordHash!) ? new Principal(acl.Name, acl.Grants) : null;
        }
        finally
        {
            _hashing.Release();
        }
    }

    public void Dispose() => _hashing.Dispose();

    private static bool TryDecodeBasic(string value, out string user, out string password)
    {
        user = password = "";
        Span<byte> bytes = stackalloc byte[value.Length];
        if (!Convert.TryFromBase64String(value, bytes, out var written))
        {
            return false;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }
        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
