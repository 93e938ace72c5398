using Harrier.Core.Collections;

namespace Harrier.Core.Apps;

/// <summary>
/// One app volume. Which shape it is follows from which part is set: <see cref="HostPath"/> (host volume),
/// <see cref="Persistent"/> (local persistent volume), <see cref="External"/> or <see cref="Secret"/>.
/// </summary>
public sealed record VolumeSpec
{
    public required string ContainerPath { get; init; }
    public string? Mode { get; init; }
    public string? HostPath { get; init; }
    public PersistentVolumeSpec? Persistent { get; init; }
    /// <summary>External (DVDI or CSI) volume, kept as its canonical JSON text: only validated and echoed for now.</summary>
    public string? External { get; init; }
    public string? Secret { get; init; }
}
