using Harrier.Core.Collections;
using Harrier.Core.Time;

namespace Harrier.Core.Groups;

/// <summary>
/// One stored version of the whole root group, as Marathon's group repository keeps it: every group node as it was,
/// and every app by reference (<see cref="AppVersionRef"/>: id and version; the definitions are the app versions the
/// store keeps). A change to apps or groups stores one, so <c>GET /v2/groups/{id}/versions/{v}</c> and a rollback can
/// bring back apps and groups deleted since. <see cref="Version"/> is the change's time (the root's version).
/// </summary>
public sealed record RootGroupVersion(Timestamp Version, ValueList<GroupNode> Groups, ValueList<AppVersionRef> Apps);
