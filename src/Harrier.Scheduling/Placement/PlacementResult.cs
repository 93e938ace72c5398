namespace Harrier.Scheduling;

/// <summary>
/// The placements made, and for the instances that could not be placed the reasons agents were rejected (Marathon's
/// <c>NoOfferMatchReason</c> names), counted once per agent and reason per unplaced instance; and which constraints
/// (<c>field:OPERATOR[:value]</c>) excluded how many agents (Harrier), once per agent.
/// </summary>
public sealed record PlacementResult(IReadOnlyList<Placement> Placed, IReadOnlyDictionary<string, int> RejectReasons)
{
    public IReadOnlyDictionary<string, int> ConstraintRejects { get; init; } = new Dictionary<string, int>();
}
