namespace Harrier.Dns.Records;

/// <summary>A DiscoveryInfo port: number (the host port, or the container port for container-scoped ports), optional
/// name, protocol (<c>tcp</c>, <c>udp</c>; null or empty means both) and labels (VIP labels, <c>network-scope</c>).</summary>
public sealed record DiscoveryPort(int Number, string? Name, string? Protocol, IReadOnlyList<KeyValuePair<string, string>> Labels)
{
    /// <summary>dcos-net: a port labelled <c>network-scope=host</c> is reached on the agent's address.</summary>
    public bool IsHostScoped => Labels.Any(l => l.Key == "network-scope" && l.Value == "host");
}
