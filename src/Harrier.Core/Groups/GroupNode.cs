using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Core.Groups;

/// <summary>
/// One node of the group tree, stored on its own (never the whole tree in one value). Apps refer to their
/// group by path prefix; nested app ids create their missing groups like <c>mkdir -p</c>.
/// </summary>
public sealed record GroupNode(PathId Id, Timestamp Version, ValueList<PathId> Dependencies = default, bool? EnforceRole = null);
