namespace Harrier.Drivers.Images;

/// <summary>The manifest formats the store pulls (Docker schema 1 is long deprecated and refused).</summary>
internal static class ManifestMediaTypes
{
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    public const string Accept = $"{DockerManifest}, {DockerList}, {OciManifest}, {OciIndex}";

    public static bool IsIndex(string mediaType) => mediaType is DockerList or OciIndex;

    public static bool IsManifest(string mediaType) => mediaType is DockerManifest or OciManifest;
}
