using Harrier.Core.Collections;
using Harrier.Core.Ids;

namespace Harrier.Core.Resources;

/// <summary>A registered agent: what it offers and how it is described for constraints.</summary>
public sealed record AgentInfo
{
    public required AgentId Id { get; init; }
    public required string Hostname { get; init; }
    public required ResourceVector Resources { get; init; }
    public ValueList<PortRange> Ports { get; init; } = new[] { new PortRange(31000, 32000) };
    public ValueMap<string> Attributes { get; init; } = ValueMap<string>.Empty;
    public string Role { get; init; } = "*";
    public string? Region { get; init; }
    public string? Zone { get; init; }
    /// <summary>What the agent can run beyond plain processes (<see cref="AgentCapabilities"/>); an agent that does
    /// not list <see cref="AgentCapabilities.ContainerImages"/> gets no app with an image.</summary>
    public ValueList<string> Capabilities { get; init; } = ValueList<string>.Empty;
    /// <summary>The named networks the agent offers tasks (the CNI networks it loaded); an app on a named network goes
    /// only to agents that offer it, or anywhere when it is a network the whole cluster has (an overlay).</summary>
    public ValueList<string> Networks { get; init; } = ValueList<string>.Empty;
    /// <summary>Set by the operator (<c>harrier agent drain</c>), kept by the server across re-registrations; agents send Active.</summary>
    public AgentMode Mode { get; init; } = AgentMode.Active;
    /// <summary>The agent's slice of each overlay (name → CIDR), assigned by the server at its first registration and
    /// kept across re-registrations; agents send none.</summary>
    public ValueMap<string> OverlaySubnets { get; init; } = ValueMap<string>.Empty;
    /// <summary>Where other agents reach this one's overlay traffic (its VXLAN endpoint): set by the server from the
    /// address the agent registers from (or its hostname when that is an address).</summary>
    public string? OverlayAddress { get; init; }
}
