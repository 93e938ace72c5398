using System.Text.RegularExpressions;

namespace Harrier.Core.Ids;

/// <summary>
/// An absolute, canonical Marathon path id such as <c>/prod/web</c>. The root is <c>/</c>.
/// Construct with <see cref="Parse"/> (canonicalizes relative ids against a base) or <see cref="FromCanonical"/>.
/// </summary>
public readonly partial record struct PathId : IComparable<PathId>
{
    private readonly string? _value;

    private PathId(string value) => _value = value;

    public static PathId Root => new("/");

    /// <summary>The canonical form: leading slash, no trailing slash, segments joined by '/'.</summary>
    public string Value => _value ?? "/";

    public bool IsRoot => Value == "/";

    public IReadOnlyList<string> Segments => IsRoot ? [] : Value[1..].Split('/');

    public PathId Parent => IsRoot ? Root : FromSegments(Segments.Take(Segments.Count - 1));

    /// <summary>The last segment (empty for the root).</summary>
    public string Name => IsRoot ? "" : Segments[^1];

    /// <summary>Marathon's "safe path": <c>/a/b</c> becomes <c>a_b</c>. Used in instance and task ids.</summary>
    public string SafePath => string.Join('_', Segments);

    /// <summary>Reversed dot-joined form used for Mesos task names and DNS: <c>/a/b</c> becomes <c>b.a</c>.</summary>
    public string ToHostname() => string.Join('.', Segments.Reverse());

    public static PathId FromCanonical(string canonical) => new(canonical);

    public static PathId FromSegments(IEnumerable<string> segments)
    {
        var joined = string.Join('/', segments);
        return new PathId("/" + joined);
    }

    /// <summary>
    /// Resolves <paramref name="raw"/> against <paramref name="baseId"/> like Marathon's <c>canonicalPath</c>:
    /// relative ids are appended to the base, <c>.</c> and <c>..</c> are applied, and empty segments dropped.
    /// </summary>
    public static PathId Parse(string raw, PathId? baseId = null)
    {
        var segments = new List<string>();
        if (!raw.StartsWith('/') && baseId is { } b)
        {
            segments.AddRange(b.Segments);
        }
        foreach (var part in raw.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
                continue;
            }
            segments.Add(part);
        }
        return FromSegments(segments);
    }

    public bool IsAncestorOf(PathId other) =>
        IsRoot ? !other.IsRoot : other.Value.StartsWith(Value + "/", StringComparison.Ordinal);

    /// <summary>True when every segment matches Marathon's segment rule.</summary>
    public static bool IsValidSegment(string segment) => SegmentPattern().IsMatch(segment);

    public const string SegmentRegex = @"^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])|(\.|\.\.)$";

    [GeneratedRegex(@"^(?:(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])|(\.|\.\.))$")]
    private static partial Regex SegmentPattern();

    public int CompareTo(PathId other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;
}
