namespace Harrier.Drivers.Images;

/// <summary>One layer of a stored image.</summary>
/// <param name="Digest">The compressed blob's digest, as in the manifest.</param>
/// <param name="DiffId">The uncompressed tar's digest from the config; null when the config lists none.</param>
/// <param name="CompressedSize">The blob's size in the manifest.</param>
/// <param name="Size">Bytes of file content in the unpacked directory.</param>
internal sealed record LayerRecord(string Digest, string? DiffId, long CompressedSize, long Size)
{
    /// <summary>The layer directory's name: by diff_id, so one layer compressed two ways is unpacked once.</summary>
    public string Key => (DiffId ?? Digest)["sha256:".Length..];
}
