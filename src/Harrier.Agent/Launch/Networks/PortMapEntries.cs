using System.Net;
using Harrier.Core.Apps;
using Harrier.Networking;

namespace Harrier.Agent.Launch.Networks;

/// <summary>The nftables mappings of a task's port mappings with host ports (<c>udp,tcp</c> is one of each).</summary>
internal static class PortMapEntries
{
    public static List<PortMapEntry> For(IReadOnlyList<PortMapping> mappings, IPAddress address)
    {
        var result = new List<PortMapEntry>();
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
                    result.Add(new PortMapEntry(protocol, host, address, m.ContainerPort == 0 ? host : m.ContainerPort));
                }
            }
        }
        return result;
    }
}
