using Harrier.Core.Ids;

namespace Harrier.Api.Security;

/// <summary>
/// One permission of a principal: <see cref="Action"/> on <see cref="Pattern"/>. A pattern ending in <c>/*</c> covers
/// that group and everything under it (<c>/prod/*</c>: <c>/prod</c>, <c>/prod/web</c>, <c>/prod/a/b</c>; <c>/*</c>:
/// everything); any other pattern covers exactly that app or group id. This is DC/OS's
/// <c>dcos:service:marathon:marathon:services:/prod</c> with its read/update/full actions.
/// </summary>
public sealed record PathGrant(string Pattern, AccessAction Action)
{
    private readonly PathId _base = ParseBase(Pattern);

    public bool IsPrefix => Pattern.EndsWith("/*", StringComparison.Ordinal);

    /// <summary>True when the grant covers <paramref name="id"/>.</summary>
    public bool Covers(PathId id) => IsPrefix ? _base.IsRoot || _base == id || _base.IsAncestorOf(id) : _base == id;

    /// <summary>True when the grant covers something under <paramref name="group"/> (the group is worth listing).</summary>
    public bool Reaches(PathId group) => Covers(group) || group.IsRoot || group.IsAncestorOf(_base);

    /// <summary>Parses and checks a pattern (<c>/*</c>, <c>/prod/*</c>, <c>/prod/web</c>); throws FormatException.</summary>
    public static PathGrant Parse(string pattern, AccessAction action)
    {
        _ = ParseBase(pattern);
        return new PathGrant(pattern, action);
    }

    private static PathId ParseBase(string pattern)
    {
        if (!pattern.StartsWith('/'))
        {
            throw new FormatException($"path '{pattern}' must be absolute (start with /)");
        }
        var text = pattern.EndsWith("/*", StringComparison.Ordinal) ? pattern[..^2] : pattern;
        if (text.Length == 0)
        {
            return PathId.Root;
        }
        if (text.Contains('*', StringComparison.Ordinal) || text.EndsWith('/'))
        {
            throw new FormatException($"path '{pattern}': '*' may only end a pattern, as in /prod/*");
        }
        var segments = text[1..].Split('/');
        if (segments.Any(s => !PathId.IsValidSegment(s) || s is "." or ".."))
        {
            throw new FormatException($"path '{pattern}' is not a valid app or group id");
        }
        return PathId.FromSegments(segments);
    }
}
