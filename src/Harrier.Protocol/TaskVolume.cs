namespace Harrier.Protocol;

/// <summary>
/// One volume of a launch. A host volume has <see cref="HostPath"/> (absolute, or relative to the sandbox); a
/// persistent local volume has <see cref="PersistentId"/> (the agent keeps its data under that id across the
/// task's restarts) and <see cref="SizeMiB"/>. <see cref="ContainerPath"/> is absolute inside a container, or
/// relative to the sandbox. <see cref="ReadOnly"/> follows the volume's <c>mode</c>.
/// </summary>
public sealed record TaskVolume(string ContainerPath, bool ReadOnly, string? HostPath = null, string? PersistentId = null, long SizeMiB = 0);
