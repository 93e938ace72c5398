namespace Harrier.Dns.Records;

/// <summary>
/// Everything service discovery names are made from, independent of where it came from (a Mesos master's state.json
/// in the golden tests, Harrier's cluster snapshot in the server). Pure data; the record generators are functions of it.
/// </summary>
/// <param name="Leader">The leading master as <c>host:port</c> (<c>10.0.0.10:5050</c>, <c>[fd01::1]:5050</c>); null when unknown.</param>
/// <param name="Masters">Every master as <c>host:port</c>, in the configured order (<c>masterN</c> follows it).</param>
public sealed record DiscoveryState(
    string? Leader,
    IReadOnlyList<string> Masters,
    IReadOnlyList<DiscoveryAgent> Agents,
    IReadOnlyList<DiscoveryFramework> Frameworks)
{
    public static DiscoveryState Empty { get; } = new(null, [], [], []);
}
