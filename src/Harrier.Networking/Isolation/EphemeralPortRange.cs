namespace Harrier.Networking.Isolation;

/// <summary>One container's slice of the agent's ephemeral ports: an aligned power-of-two block, and its
/// <see cref="Slot"/> (the block's index among all the agent's blocks), which numbers the container's host filters.</summary>
public sealed record EphemeralPortRange(int Slot, PortBlock Block, string Owner);
