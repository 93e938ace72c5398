namespace Harrier.Drivers;

/// <summary>A bind mount into a container: an absolute host path (already resolved and created by the agent) at an
/// absolute path inside the container.</summary>
public sealed record ContainerMount(string HostPath, string ContainerPath, bool ReadOnly);
