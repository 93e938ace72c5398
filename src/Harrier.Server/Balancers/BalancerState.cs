using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Server.Balancers;

/// <summary>One registered balancer's live state. Mutable; only touched under <see cref="BalancerRegistry"/>'s lock.</summary>
internal sealed class BalancerState(string id, Timestamp registeredAt)
{
    public string Id { get; } = id;

    public IReadOnlyList<string> Groups { get; set; } = [];

    public string? StatsUrl { get; set; }

    public Timestamp RegisteredAt { get; } = registeredAt;

    public Timestamp LastSeenAt { get; set; } = registeredAt;

    /// <summary>Long polls in progress: an open poll is hearing from the balancer, so its lease does not run out meanwhile.</summary>
    public int ActivePolls { get; set; }

    /// <summary>Kills waiting for this balancer's confirmation, in the order they were decided.</summary>
    public Dictionary<TaskId, KillHold> Pending { get; } = [];

    /// <summary>Completed when a drain is requested of this balancer (or it goes away); replaced after.</summary>
    public TaskCompletionSource? Signal { get; set; }

    public void Wake()
    {
        Signal?.TrySetResult();
        Signal = null;
    }

    public BalancerRegistration ToRegistration(int leaseSeconds) =>
        new(Id, Groups, StatsUrl, RegisteredAt, LastSeenAt, leaseSeconds, Pending.Count);
}
