using System.Net;

namespace Harrier.Dns.Records;

/// <summary>An agent: its id (<c>…-S3</c>), host name, addresses (resolved by the caller; empty when the host name is
/// not an address and did not resolve) and agent port.</summary>
public sealed record DiscoveryAgent(string Id, string Hostname, IReadOnlyList<IPAddress> Ips, int Port);
