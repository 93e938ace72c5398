using System.Text.Json;

namespace Harrier.Drivers.Images;

/// <summary>
/// Reads manifests and indexes. The document's own <c>mediaType</c> wins over the Content-Type (some registries
/// serve <c>application/json</c>); without either, the shape decides.
/// </summary>
internal static class ManifestParser
{
    public const string Architecture = "amd64";
    public const string OperatingSystem = "linux";

    /// <summary>The media type of a manifest document.</summary>
    public static string MediaTypeOf(JsonElement root, string? contentType)
    {
        if (root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == 1)
        {
            throw Invalid("is a Docker schema 1 manifest, which is not supported");
        }
        if (root.TryGetProperty("mediaType", out var own) && own.GetString() is { Length: > 0 } mediaType)
        {
            return mediaType;
        }
        if (contentType is not null && (ManifestMediaTypes.IsIndex(contentType) || ManifestMediaTypes.IsManifest(contentType)))
        {
            return contentType;
        }
        return root.TryGetProperty("manifests", out _) ? ManifestMediaTypes.OciIndex : ManifestMediaTypes.OciManifest;
    }

    /// <summary>The linux/amd64 entry of an index (a variant is ignored); null when there is none.</summary>
    public static Descriptor? PickPlatform(JsonElement index)
    {
        foreach (var entry in Array(index, "manifests"))
        {
            if (entry.TryGetProperty("platform", out var platform) &&
                String(platform, "os") == OperatingSystem && String(platform, "architecture") == Architecture)
            {
                return ReadDescriptor(entry);
            }
        }
        return null;
    }

    /// <summary>The platforms an index offers, to say which ones were there when none fits.</summary>
    public static string Platforms(JsonElement index) =>
        string.Join(", ", Array(index, "manifests").Select(e => e.TryGetProperty("platform", out var p) ? $"{String(p, "os")}/{String(p, "architecture")}" : "?"));

    public static ImageManifest ReadManifest(string digest, JsonElement root)
    {
        if (!root.TryGetProperty("config", out var config))
        {
            throw Invalid("has no config");
        }
        return new ImageManifest(digest, ReadDescriptor(config), [.. Array(root, "layers").Select(ReadDescriptor)]);
    }

    public static Descriptor ReadDescriptor(JsonElement element)
    {
        var digest = String(element, "digest");
        if (digest is null || !element.TryGetProperty("size", out var size) || !size.TryGetInt64(out var bytes) || bytes < 0)
        {
            throw Invalid("has a descriptor without a digest or size");
        }
        return new Descriptor(String(element, "mediaType") ?? "", digest, bytes);
    }

    public static ImageStoreException Invalid(string what) => new(ImagePullFailure.InvalidContent, $"the manifest {what}");

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : [];

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
