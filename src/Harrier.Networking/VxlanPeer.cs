using Harrier.Core.Networks;

namespace Harrier.Networking;

/// <summary>Another host's slice of an overlay and the underlay address of its VXLAN endpoint.</summary>
public sealed record VxlanPeer(Ipv4Cidr Subnet, string Address);
