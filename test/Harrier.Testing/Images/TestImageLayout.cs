namespace Harrier.Testing.Images;

/// <summary>An OCI image layout on disk (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256</c>) holding one image.</summary>
/// <param name="Directory">The layout's directory (what <c>skopeo copy oci:DIR</c> reads).</param>
/// <param name="ManifestDigest">The linux/amd64 image manifest's digest.</param>
/// <param name="IndexDigest">The multi-platform index's digest, when the image has one.</param>
/// <param name="LayerDigests">Compressed layer blobs, bottom first.</param>
/// <param name="DiffIds">Digests of the uncompressed layer tars, bottom first.</param>
/// <param name="LayerBytes">Total size of the amd64 image's compressed layers.</param>
public sealed record TestImageLayout(
    string Directory,
    string ManifestDigest,
    string ConfigDigest,
    string? IndexDigest,
    IReadOnlyList<string> LayerDigests,
    IReadOnlyList<string> DiffIds,
    long LayerBytes)
{
    /// <summary>The path of a blob in the layout.</summary>
    public string BlobPath(string digest) => Path.Combine(Directory, "blobs", "sha256", digest["sha256:".Length..]);
}
