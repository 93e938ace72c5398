using Harrier.Core.Ids;

namespace Harrier.Server.Commands;

/// <summary>
/// Kill instances without scaling: the goal stays Running, so they are relaunched; with <see cref="Wipe"/> they are
/// decommissioned and expunged instead. Result: the instances as they were before the kill.
/// </summary>
public sealed record KillInstancesCommand(IReadOnlyList<InstanceId> Instances, bool Wipe) : ServerCommand;
