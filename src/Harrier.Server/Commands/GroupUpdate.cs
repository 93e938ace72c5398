using Harrier.Core.Apps;
using Harrier.Core.Ids;

namespace Harrier.Server.Commands;

/// <summary>
/// One group of a group body (Marathon's <c>GroupUpdate</c>), ids already absolute. A null list leaves that part of the
/// group as it is; a given <see cref="Apps"/> or <see cref="Groups"/> list replaces the group's direct apps or child
/// groups (those not listed are removed). Apps are full definitions.
/// </summary>
public sealed record GroupUpdate(PathId Id)
{
    public IReadOnlyList<AppSpec>? Apps { get; init; }

    public IReadOnlyList<GroupUpdate>? Groups { get; init; }

    public IReadOnlyList<PathId>? Dependencies { get; init; }

    public bool? EnforceRole { get; init; }
}
