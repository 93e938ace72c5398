namespace Harrier.Dns.Records;

/// <summary>A bridge-network port mapping of a task: container port, host port (null when not published on the agent)
/// and protocol.</summary>
public sealed record TaskPortMapping(int ContainerPort, int? HostPort, string Protocol);
