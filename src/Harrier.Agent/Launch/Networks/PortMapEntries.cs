using System.Net;
using Harrier.Core.Apps;
using Harrier.Networking;

namespace Harrier.Agent.Launch.Networks;

/// <summary>The ports a task's port mappings with host ports ask to be mapped (<c>udp,tcp</c> is one of each), for
/// Harrier's nftables table and for CNI's <c>portMappings</c> alike.</summary>
internal static class PortMapEntries
{
    public static List<PortMapEntry> For(IReadOnlyList<PortMapping> mappings, IPAddress address) =>
        [.. Each(mappings).Select(p => new PortMapEntry(p.Protocol, p.HostPort, address, p.ContainerPort))];

    /// <summary>(protocol, host port, container port) per mapped port; a container port of 0 is the host port.</summary>
    public static IEnumerable<(string Protocol, int HostPort, int ContainerPort)> Each(IReadOnlyList<PortMapping> mappings)
    {
        foreach (var m in mappings)
        {
            if (m.HostPort is not ({ } host and > 0))
            {
                continue;
            }
            foreach (var protocol in m.Protocol.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (protocol is "tcp" or "udp")
                {
                    yield return (protocol, host, m.ContainerPort == 0 ? host : m.ContainerPort);
                }
            }
        }
    }
}
