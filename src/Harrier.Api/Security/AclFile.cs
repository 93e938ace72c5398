using System.Text.Json;

namespace Harrier.Api.Security;

/// <summary>
/// <c>--acl-file FILE</c>: principals with password or token hashes and per-path grants.
/// <code>
/// {
///   "principals": {
///     "ops":   { "password": "pbkdf2-sha256:…", "grants": { "/*": "admin" } },
///     "alice": { "password": "pbkdf2-sha256:…", "grants": { "/dev/*": "write", "/prod/*": "read" } },
///     "ci":    { "token": "sha256:…",           "grants": { "/dev/web": "write" } }
///   }
/// }
/// </code>
/// Anything unexpected (an unknown key, a bad hash, a bad path or action) refuses the whole file with a message
/// naming the place, so a typo can never widen or silently drop a permission.
/// </summary>
public static class AclFile
{
    public const int MaxPrincipals = 10_000;
    public const int MaxGrants = 1_000;

    public static IReadOnlyList<AclEntry> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"cannot read {path}: {e.Message}");
        }
        return Parse(text, path);
    }

    public static IReadOnlyList<AclEntry> Parse(string json, string source = "ACL file")
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source}: expected an object with \"principals\"");
            }
            RejectUnknown(root, source, "principals");
            if (!root.TryGetProperty("principals", out var principals) || principals.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source}: \"principals\" must be an object of name → principal");
            }
            var entries = new List<AclEntry>();
            var tokens = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in principals.EnumerateObject())
            {
                var at = $"{source}: principal '{p.Name}'";
                if (entries.Count >= MaxPrincipals)
                {
                    throw new FormatException($"{source}: more than {MaxPrincipals} principals");
                }
                if (p.Name.Length is 0 or > 128 || p.Name.Contains(':', StringComparison.Ordinal) || p.Name.Any(char.IsControl))
                {
                    throw new FormatException($"{at}: a name is 1-128 characters without ':' or control characters");
                }
                if (entries.Any(e => e.Name == p.Name))
                {
                    throw new FormatException($"{at} appears twice");
                }
                if (p.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{at}: expected an object with \"password\" and/or \"token\", and \"grants\"");
                }
                RejectUnknown(p.Value, at, "password", "token", "grants");
                var password = OptionalString(p.Value, "password", at);
                var token = OptionalString(p.Value, "token", at);
                if (password is null && token is null)
                {
                    throw new FormatException($"{at}: needs a \"password\" hash or a \"token\" hash");
                }
                try
                {
                    if (password is not null)
                    {
                        PasswordHash.Validate(password);
                    }
                    token = token is null ? null : TokenHash.Normalize(token);
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{at}: {e.Message}");
                }
                if (token is not null && !tokens.Add(token))
                {
                    throw new FormatException($"{at}: its token is another principal's too");
                }
                entries.Add(new AclEntry(p.Name, password, token, Grants(p.Value, at)));
            }
            return entries;
        }
    }

    private static List<PathGrant> Grants(JsonElement principal, string at)
    {
        if (!principal.TryGetProperty("grants", out var grants) || grants.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{at}: \"grants\" must be an object of path → read|write|admin");
        }
        var list = new List<PathGrant>();
        foreach (var g in grants.EnumerateObject())
        {
            if (list.Count >= MaxGrants)
            {
                throw new FormatException($"{at}: more than {MaxGrants} grants");
            }
            var action = g.Value.ValueKind == JsonValueKind.String
                ? g.Value.GetString() switch
                {
                    "read" => AccessAction.Read,
                    "write" => AccessAction.Write,
                    "admin" => AccessAction.Admin,
                    _ => (AccessAction?)null,
                }
                : null;
            if (action is null)
            {
                throw new FormatException($"{at}: grant '{g.Name}' must be \"read\", \"write\" or \"admin\"");
            }
            try
            {
                list.Add(PathGrant.Parse(g.Name, action.Value));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{at}: {e.Message}");
            }
        }
        return list;
    }

    private static string? OptionalString(JsonElement obj, string name, string at) =>
        !obj.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"{at}: \"{name}\" must be a string");

    private static void RejectUnknown(JsonElement obj, string at, params string[] known)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (!known.Contains(p.Name))
            {
                throw new FormatException($"{at}: unknown key \"{p.Name}\" (expected {string.Join(", ", known.Select(k => $"\"{k}\""))})");
            }
        }
    }
}
