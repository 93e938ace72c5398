namespace Harrier.Drivers.Oci;

/// <summary>Parsed <c>docker.parameters</c> (see <see cref="OciParameters"/>); multi-valued keys keep their order.</summary>
internal sealed record OciParameterSet
{
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>Kept (as annotations) but without effect, as labels have none on a container's behaviour.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    public string? User { get; init; }

    public string? Workdir { get; init; }

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    public bool ReadOnly { get; init; }

    public IReadOnlyList<(string Path, IReadOnlyList<string> Options)> Tmpfs { get; init; } = [];

    public IReadOnlyList<(string Type, ulong Soft, ulong Hard)> Ulimits { get; init; } = [];

    public long? ShmSizeBytes { get; init; }

    public string? Hostname { get; init; }
}
