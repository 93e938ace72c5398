using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Harrier.Core.Images;

/// <summary>
/// A Docker image reference, normalized as Docker normalizes it: <c>busybox</c> is
/// <c>docker.io/library/busybox:latest</c>, <c>user/app</c> is <c>docker.io/user/app:latest</c>, and a first
/// component with a dot, a colon or <c>localhost</c> (or an uppercase letter) names the registry. A reference with
/// a digest gets no implicit tag, and is pulled by its digest even when it also names a tag.
/// </summary>
public sealed partial record ImageReference
{
    public const string DockerHub = "docker.io";

    private const int MaxNameLength = 255;

    private ImageReference(string registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry host with its port when one was given (<c>docker.io</c>, <c>localhost:5000</c>).</summary>
    public string Registry { get; }

    /// <summary>Repository path in the registry (<c>library/busybox</c>).</summary>
    public string Repository { get; }

    /// <summary>The tag; null only when the reference has a digest and no tag.</summary>
    public string? Tag { get; }

    /// <summary><c>sha256:</c> and 64 lowercase hex digits, or null.</summary>
    public string? Digest { get; }

    /// <summary>What to ask the registry's manifest endpoint for: the digest when there is one, else the tag.</summary>
    public string ManifestReference => Digest ?? Tag!;

    public bool IsDockerHub => Registry == DockerHub;

    public static ImageReference Parse(string reference) =>
        TryParse(reference, out var parsed, out var error) ? parsed : throw new FormatException(error);

    /// <summary>Parses and normalizes <paramref name="reference"/>; on failure <paramref name="error"/> says why in a
    /// sentence fit for a 422.</summary>
    public static bool TryParse(string? reference, [NotNullWhen(true)] out ImageReference? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        error = Validate(reference, out var registry, out var repository, out var tag, out var digest);
        if (error is not null)
        {
            error = $"invalid image reference '{reference}': {error}";
            return false;
        }
        parsed = new ImageReference(registry!, repository!, tag, digest);
        return true;
    }

    public override string ToString() =>
        Registry + "/" + Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    private static string? Validate(string? reference, out string? registry, out string? repository, out string? tag, out string? digest)
    {
        registry = repository = tag = digest = null;
        if (string.IsNullOrEmpty(reference))
        {
            return "it is empty";
        }
        if (reference.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "it contains whitespace";
        }
        var name = reference;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = name[(at + 1)..];
            name = name[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                return DigestFormatPattern().IsMatch(digest)
                    ? $"unsupported digest '{digest}' (only sha256 with 64 lowercase hex digits)"
                    : $"invalid digest '{digest}' (expected algorithm:hex)";
            }
        }
        // A colon after the last slash starts the tag; one before it belongs to the registry's port.
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                return $"invalid tag '{tag}' (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')";
            }
        }
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? name : name[..slash];
        // Docker's rule: the first component is a registry when it cannot be a repository component.
        if (slash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) ||
            first == "localhost" || first.Any(char.IsUpper)))
        {
            registry = first;
            repository = name[(slash + 1)..];
            if (!RegistryPattern().IsMatch(registry))
            {
                return $"invalid registry '{registry}'";
            }
            if (registry is "index.docker.io" or "registry-1.docker.io")
            {
                registry = DockerHub;
            }
        }
        else
        {
            registry = DockerHub;
            repository = name;
        }
        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }
        if (repository.Length == 0)
        {
            return "the repository name is empty";
        }
        if (repository.Any(char.IsUpper))
        {
            return $"repository name '{repository}' must be lowercase";
        }
        if (repository.Split('/').FirstOrDefault(c => !ComponentPattern().IsMatch(c)) is { } bad)
        {
            return $"invalid repository name component '{bad}' (lowercase letters and digits, separated by '.', '_', '__' or '-')";
        }
        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            return $"the repository name is longer than {MaxNameLength} characters";
        }
        if (tag is null && digest is null)
        {
            tag = "latest";
        }
        return null;
    }

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex ComponentPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")]
    private static partial Regex DigestFormatPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();
}
