using Harrier.Core.Ids;

namespace Harrier.Scheduling;

/// <summary>Where one instance goes, with its host ports in declaration order (only entries that request one).</summary>
public sealed record Placement(InstanceId Instance, AgentId Agent, string Hostname, IReadOnlyList<int> HostPorts);
