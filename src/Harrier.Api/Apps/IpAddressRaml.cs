using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>The deprecated <c>ipAddress</c>: translated into a container network and port mappings.</summary>
internal sealed record IpAddressRaml(IReadOnlyList<PortMapping>? DiscoveryPorts, IReadOnlyDictionary<string, string> Labels, string? NetworkName);
