namespace Harrier.Protocol;

/// <summary>Another agent on an overlay: its slice and the address its VXLAN endpoint listens on.</summary>
public sealed record OverlayPeer(string AgentId, string Subnet, string Address);
