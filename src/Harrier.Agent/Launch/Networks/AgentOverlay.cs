using Harrier.Core.Networks;
using Harrier.Networking;

namespace Harrier.Agent.Launch.Networks;

/// <summary>This agent's part of one overlay: its slice (tasks routed on their veths, the addresses handed out), and
/// the VXLAN device that joins the slice to the other agents'.</summary>
internal sealed class AgentOverlay(string name, Ipv4Cidr cidr, Ipv4Cidr subnet, ITaskSubnet slice, VxlanOverlay vxlan)
{
    public string Name { get; } = name;

    /// <summary>The whole overlay (routed through the tasks' gateway, never to the default route).</summary>
    public Ipv4Cidr Cidr { get; } = cidr;

    public Ipv4Cidr Subnet { get; } = subnet;

    public ITaskSubnet Slice { get; } = slice;

    public VxlanOverlay Vxlan { get; } = vxlan;

    /// <summary>True once the devices are made in this agent process (at the first task on the overlay, or at once when
    /// the overlay spans several agents).</summary>
    public bool Ready { get; set; }

    /// <summary>The other agents' slices as last configured by the server.</summary>
    public IReadOnlyList<VxlanPeer> Peers { get; set; } = [];
}
