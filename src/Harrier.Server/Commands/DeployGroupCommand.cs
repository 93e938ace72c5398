using Harrier.Core.Ids;

namespace Harrier.Server.Commands;

/// <summary>
/// A group change as one deployment (§2.2, §12). The structure is applied to the orchestrator's own snapshot, so a body
/// read against an older snapshot cannot undo a concurrent change. <see cref="Update"/> is required for
/// <see cref="GroupOperation.Create"/> and <see cref="GroupOperation.Update"/>, <see cref="ScaleBy"/> for
/// <see cref="GroupOperation.Scale"/>. A <see cref="GroupOperation.Create"/> with <see cref="ScaleBy"/> (a POST of
/// <c>{"scaleBy":f}</c>) is refused: 409 when the group exists, else 404.
/// </summary>
public sealed record DeployGroupCommand(PathId GroupId, GroupOperation Operation, bool Force, bool DryRun = false) : ServerCommand
{
    public GroupUpdate? Update { get; init; }

    public double? ScaleBy { get; init; }
}
