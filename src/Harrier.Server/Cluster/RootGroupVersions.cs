using Harrier.Core.Collections;
using Harrier.Core.Groups;
using Harrier.Core.Time;

namespace Harrier.Server.Cluster;

/// <summary>
/// The root group version a batch stores when it changed apps or group nodes (Marathon stores a root version with
/// every group-manager update): every group node and every app by (id, version), in id order. Stored in the batch's
/// own commit, so an answered change never lacks its version. App versions are pruned per app at the same cap as root
/// versions, and every new app version comes with a new root version, so each app a retained root refers to is still
/// stored: at most cap−1 newer roots, hence at most cap−1 newer versions of that app.
/// </summary>
internal static class RootGroupVersions
{
    public static RootGroupVersion Of(ClusterSnapshot snapshot, Timestamp version) => new(
        version,
        new ValueList<GroupNode>([.. snapshot.Groups.Values]),
        new ValueList<AppVersionRef>([.. snapshot.Apps.Values.Select(a => new AppVersionRef(a.Id, a.Version))]));
}
