namespace Harrier.Drivers.Images;

/// <summary>What the store keeps about one pulled image (<c>images/&lt;sha256 of the reference&gt;.json</c>).</summary>
internal sealed record ImageRecord(
    string Reference,
    string ManifestDigest,
    string ConfigDigest,
    ImageConfig Config,
    IReadOnlyList<LayerRecord> Layers,
    DateTimeOffset LastUsed)
{
    public long Size => Layers.Sum(l => l.Size);
}
