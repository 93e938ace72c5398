using Harrier.Core.Apps;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.State.InMemory;

namespace Harrier.State;

/// <summary>
/// A real provider that keeps everything in memory, with the SQLite provider's semantics (atomic commits, version
/// retention, versions outliving deletes). For tests and benchmarks: nothing survives the process.
/// Commits build a new immutable <see cref="InMemoryState"/> and swap it in, so a failure midway leaves nothing.
/// </summary>
public sealed class InMemoryClusterStore : IClusterStore
{
    private readonly Lock _gate = new();
    private readonly int _maxVersions;
    private InMemoryState _state;
    private bool _disposed;

    public InMemoryClusterStore(int maxVersions = 50)
        : this(maxVersions, InMemoryState.Empty)
    {
    }

    private InMemoryClusterStore(int maxVersions, InMemoryState state)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersions, 1);
        _maxVersions = maxVersions;
        _state = state;
    }

    /// <summary>Test hook, as <see cref="SqliteClusterStore"/>'s: called after each record is applied; a throw aborts the change.</summary>
    internal Action<string>? AfterRowWritten { get; set; }

    /// <summary>"Reopens" a disposed store: a new store over the same contents, as reopening a database file would give.</summary>
    internal static InMemoryClusterStore Reopen(InMemoryClusterStore previous, int maxVersions)
    {
        lock (previous._gate)
        {
            return new InMemoryClusterStore(maxVersions, previous._state);
        }
    }

    public Task<ClusterData> LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Current().ToClusterData());
    }

    public Task CommitAsync(StateChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _state = _state.Apply(change, _maxVersions, AfterRowWritten);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Timestamp>> ListAppVersionsAsync(PathId appId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<Timestamp> versions = Current().Versions.TryGetValue(appId, out var stored)
            ? stored.Keys.Reverse().ToArray()
            : [];
        return Task.FromResult(versions);
    }

    public Task<AppSpec?> GetAppVersionAsync(PathId appId, Timestamp version, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var state = Current();
        return Task.FromResult(state.Versions.TryGetValue(appId, out var stored) && stored.TryGetValue(version, out var app) ? app : null);
    }

    public Task<IReadOnlyList<Timestamp>> ListGroupVersionsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<Timestamp> versions = Current().GroupVersions.Keys.Reverse().ToArray();
        return Task.FromResult(versions);
    }

    public Task<RootGroupVersion?> GetGroupVersionAsync(Timestamp version, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Current().GroupVersions.GetValueOrDefault(version));
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }
        return ValueTask.CompletedTask;
    }

    private InMemoryState Current()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _state;
        }
    }
}
