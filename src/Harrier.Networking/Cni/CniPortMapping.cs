namespace Harrier.Networking.Cni;

/// <summary>One entry of the <c>portMappings</c> capability: a host port forwarded to the container's port.</summary>
public sealed record CniPortMapping(int HostPort, int ContainerPort, string Protocol);
