using Harrier.Core.Resources;

namespace Harrier.Agent;

/// <summary>Resources given with <c>--resources</c>; null members fall back to what the machine has.</summary>
public sealed record AgentResourcesSpec
{
    public double? Cpus { get; init; }
    public double? Mem { get; init; }
    public double? Disk { get; init; }
    public int? Gpus { get; init; }
    public IReadOnlyList<PortRange>? Ports { get; init; }
    /// <summary>Mesos' <c>ephemeral_ports</c>: the ports the port-mapping isolator slices among containers.</summary>
    public IReadOnlyList<PortRange>? EphemeralPorts { get; init; }
}
