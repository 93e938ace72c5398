namespace Harrier.Networking.Cni;

/// <summary>An interface of a CNI result; <see cref="Sandbox"/> is set for the ones inside the container's namespace.</summary>
public sealed record CniInterface(string Name, string? Mac, string? Sandbox);
