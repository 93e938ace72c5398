using Harrier.Core.Collections;

namespace Harrier.Protocol;

/// <summary>
/// Every VIP of the cluster with its backends: the whole desired set, sent after each registration and whenever a
/// VIP or a backend changes (coalesced per batch). <see cref="Version"/> only grows, so an agent ignores a set older
/// than one it already applied (versions restart with the server: the newest arrival wins). The agent makes its VIP rules match (VIPs not listed any more are removed).
/// <see cref="Range"/> is the named VIPs' range (<c>--vip-cidr</c>): the agent routes it nowhere but to its VIPs, so an
/// address of it that no VIP holds never follows the default route.
/// </summary>
public sealed record VipConfigCommand(long Version, ValueList<VipEntry> Vips, string? Range = null) : AgentCommand;

/// <summary>One VIP (an address, a port and <c>tcp</c> or <c>udp</c>) and where its connections go.</summary>
public sealed record VipEntry(string Address, int Port, string Protocol, ValueList<VipBackendEntry> Backends);

/// <summary>
/// One backend: an address and port, weight 1 (gets new connections) or 0 (unhealthy or being killed: keeps its
/// established connections only). <see cref="Agent"/> is the agent running it when the address is that agent's and
/// the port a host port: that agent sends its own connections straight to the task behind the mapping.
/// </summary>
public sealed record VipBackendEntry(string Address, int Port, int Weight, string? Agent = null);
