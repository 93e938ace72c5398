namespace Harrier.Server.Events;

/// <summary>An event with its position in the bus's sequence (the SSE <c>id:</c>).</summary>
public sealed record SequencedEvent(long Sequence, ClusterEvent Event);
