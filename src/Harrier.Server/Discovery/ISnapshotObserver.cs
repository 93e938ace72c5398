using Harrier.Server.Cluster;

namespace Harrier.Server.Discovery;

/// <summary>
/// Told of every snapshot the orchestrator publishes, with what its batch changed, on the orchestrator's own thread:
/// an observer must only take note (swap a reference, wake its own loop), never block or do I/O. A throwing
/// observer is logged and skipped; the orchestrator goes on.
/// </summary>
public interface ISnapshotObserver
{
    void Published(ClusterSnapshot snapshot, PublishedChanges changes);
}
