namespace Harrier.Networking.Cni;

/// <summary>
/// The runtime's side of one attachment: the container id (<c>CNI_CONTAINERID</c>: letters, digits, '_', '.', '-'),
/// the path of its network namespace (<c>CNI_NETNS</c>), the interface to make (<c>CNI_IFNAME</c>), and the port
/// mappings passed to plugins that declare the <c>portMappings</c> capability.
/// </summary>
public sealed record CniRuntimeArgs(string ContainerId, string NetnsPath, string IfName, IReadOnlyList<CniPortMapping> PortMappings);
