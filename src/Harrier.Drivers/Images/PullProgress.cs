namespace Harrier.Drivers.Images;

/// <summary>How far a pull is: layers fully downloaded and unpacked of all layers, and bytes downloaded of all
/// compressed layer bytes (cached layers count as done).</summary>
public sealed record PullProgress(string Image, int LayersDone, int LayersTotal, long BytesDone, long BytesTotal);
