using System.Collections.Immutable;
using Harrier.Core.Time;

namespace Harrier.Server.Cluster;

/// <summary>
/// What the last placement attempts for one app saw (Marathon's processedOffersSummary): how many agents were
/// considered and why they were rejected.
/// </summary>
public sealed record QueueStats(
    int ProcessedOffers,
    int UnusedOffers,
    Timestamp? LastUnusedOfferAt,
    Timestamp? LastUsedOfferAt,
    ImmutableDictionary<string, int> RejectReasons)
{
    public static QueueStats Empty { get; } = new(0, 0, null, null, ImmutableDictionary<string, int>.Empty);
}
