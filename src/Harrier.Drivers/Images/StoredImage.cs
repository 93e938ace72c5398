namespace Harrier.Drivers.Images;

/// <summary>One image in the store, as <c>harrier image list</c> shows it.</summary>
/// <param name="Size">Bytes of its unpacked layers (shared layers counted in each image that uses them).</param>
/// <param name="LastUsed">When a container last started from it (or it was pulled), UTC.</param>
/// <param name="InUseBy">Ids of the tasks whose containers use it now.</param>
public sealed record StoredImage(
    string Reference,
    string ManifestDigest,
    string ConfigDigest,
    long Size,
    DateTimeOffset LastUsed,
    IReadOnlyList<string> InUseBy);
