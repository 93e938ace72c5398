using Harrier.Core.Collections;

namespace Harrier.Protocol;

/// <summary>
/// The overlays this agent takes part in: its own slice of each and every other agent's slice with its VXLAN
/// endpoint. Sent after each registration and whenever agents join or leave; the agent makes its devices and routes
/// match (peers not listed any more are removed).
/// </summary>
public sealed record OverlayConfigCommand(ValueList<OverlayAssignment> Overlays) : AgentCommand;
