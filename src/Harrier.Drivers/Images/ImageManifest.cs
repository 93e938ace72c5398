namespace Harrier.Drivers.Images;

/// <summary>An image manifest (Docker schema 2 or OCI) for one platform: its config and layers, bottom first.</summary>
/// <param name="Digest">The digest of the manifest's bytes as the registry served them.</param>
internal sealed record ImageManifest(string Digest, Descriptor Config, IReadOnlyList<Descriptor> Layers);
