namespace Harrier.Drivers.Images;

/// <summary>An OCI content descriptor: what a manifest says about a blob it points to.</summary>
internal sealed record Descriptor(string MediaType, string Digest, long Size);
