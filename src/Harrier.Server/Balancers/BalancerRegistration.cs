using Harrier.Core.Time;

namespace Harrier.Server.Balancers;

/// <summary>
/// What the API shows of one registered balancer (<c>GET /harrier/v1/balancers</c>): its id, the marathon-lb groups
/// it serves, where its HAProxy stats are, when it registered and was last heard from, and how many kills wait for
/// its confirmation.
/// </summary>
public sealed record BalancerRegistration(
    string Id,
    IReadOnlyList<string> Groups,
    string? StatsUrl,
    Timestamp RegisteredAt,
    Timestamp LastSeenAt,
    int LeaseSeconds,
    int PendingDrains);
