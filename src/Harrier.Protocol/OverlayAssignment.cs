using Harrier.Core.Collections;

namespace Harrier.Protocol;

/// <summary>One overlay as one agent sees it: the whole range, its own slice, the VXLAN id and its peers.</summary>
public sealed record OverlayAssignment(string Name, string Cidr, string Subnet, int Vni, ValueList<OverlayPeer> Peers);
