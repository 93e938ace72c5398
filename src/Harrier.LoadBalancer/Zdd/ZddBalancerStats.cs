namespace Harrier.LoadBalancer.Zdd;

/// <summary>One balancer's parsed CSV stats, named by the stats URL it came from.</summary>
internal sealed record ZddBalancerStats(string Url, IReadOnlyList<HaproxyStatsRow> Rows);
