namespace Harrier.Dns.Records;

/// <summary>Mesos' DiscoveryInfo as Marathon fills it: the name (the app id reversed and dot-joined,
/// <c>frontend.web.dev</c> for <c>/dev/web/frontend</c>) and one port per port definition or mapping.</summary>
public sealed record DiscoveryInfo(string Name, IReadOnlyList<DiscoveryPort> Ports);
