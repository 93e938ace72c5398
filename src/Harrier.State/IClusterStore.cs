using Harrier.Core.Apps;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.State;

/// <summary>
/// All durable cluster state. One record per entity: the current version of each app, each stored app version,
/// each group node, instance, deployment, agent. <see cref="CommitAsync"/> is atomic and durable when it returns:
/// a crash afterwards loses nothing of it; a crash during it loses all of it.
/// Providers: embedded SQLite (default) and, later, etcd. All pass the same conformance suite.
/// </summary>
public interface IClusterStore : IAsyncDisposable
{
    /// <summary>Everything current (not the version history): read once when the server starts or gains leadership.
    /// The view is of whole commits only; each array is sorted by id (ordinal).</summary>
    Task<ClusterData> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Applies one change atomically. Putting an app also stores it as a version, pruning the oldest
    /// versions of that app beyond the configured maximum.</summary>
    Task CommitAsync(StateChange change, CancellationToken cancellationToken);

    /// <summary>The stored versions of an app, newest first. Empty when the app never existed.</summary>
    Task<IReadOnlyList<Timestamp>> ListAppVersionsAsync(PathId appId, CancellationToken cancellationToken);

    Task<AppSpec?> GetAppVersionAsync(PathId appId, Timestamp version, CancellationToken cancellationToken);

    /// <summary>The stored versions of the root group, newest first (at most the configured maximum).</summary>
    Task<IReadOnlyList<Timestamp>> ListGroupVersionsAsync(CancellationToken cancellationToken);

    /// <summary>The root group as stored at <paramref name="version"/>; null when that version is not (or no longer) stored.</summary>
    Task<RootGroupVersion?> GetGroupVersionAsync(Timestamp version, CancellationToken cancellationToken);
}
