namespace Harrier.Drivers.Images;

/// <summary>
/// The parts of an image's configuration (the OCI image config's <c>config</c> object) that decide how a container
/// runs. Lists are never null; <see cref="Env"/> holds <c>NAME=value</c> entries in image order.
/// </summary>
public sealed record ImageConfig
{
    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    public IReadOnlyList<string> Cmd { get; init; } = [];

    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary><c>user</c>, <c>uid</c>, <c>user:group</c> or <c>uid:gid</c>; null or empty = root.</summary>
    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Exposed ports as written in the image (<c>80/tcp</c>).</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];
}
