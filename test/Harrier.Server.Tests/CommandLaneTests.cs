using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.State;
using Xunit;

namespace Harrier.Server.Tests;

/// <summary>Operators' commands are taken ahead of a backlog of agents' commands.</summary>
public sealed class CommandLaneTests
{
    /// <summary>An in-memory store whose commits wait while the gate is closed, and that records what each commit held.</summary>
    private sealed class GatedStore : IClusterStore
    {
        private readonly InMemoryClusterStore _inner = new();
        private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public GatedStore() => _gate.SetResult();

        public List<StateChange> Commits { get; } = [];

        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Close() => _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _gate.TrySetResult();

        public Task<ClusterData> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);

        public async Task CommitAsync(StateChange change, CancellationToken cancellationToken)
        {
            if (!_gate.Task.IsCompleted)
            {
                Blocked.TrySetResult();
            }
            await _gate.Task.WaitAsync(cancellationToken);
            lock (Commits)
            {
                Commits.Add(change);
            }
            await _inner.CommitAsync(change, cancellationToken);
        }

        public Task<IReadOnlyList<Timestamp>> ListAppVersionsAsync(PathId appId, CancellationToken cancellationToken) => _inner.ListAppVersionsAsync(appId, cancellationToken);

        public Task<AppSpec?> GetAppVersionAsync(PathId appId, Timestamp version, CancellationToken cancellationToken) => _inner.GetAppVersionAsync(appId, version, cancellationToken);

        public Task<IReadOnlyList<Timestamp>> ListGroupVersionsAsync(CancellationToken cancellationToken) => _inner.ListGroupVersionsAsync(cancellationToken);

        public Task<Core.Groups.RootGroupVersion?> GetGroupVersionAsync(Timestamp version, CancellationToken cancellationToken) => _inner.GetGroupVersionAsync(version, cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }

    [Fact]
    public async Task Deploy_BehindThousandsOfAgentRegistrations_IsInTheNextBatch()
    {
        var store = new GatedStore();
        await using var cluster = await TestCluster.StartAsync(store);
        store.Close();
        var first = cluster.DeployAsync(TestCluster.App("/first", 0));
        await store.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // While that batch commits, 9,000 agents register (each a durable change) and then an operator deploys.
        var registrations = Enumerable.Range(0, 9_000).Select(i => cluster.Gateway.RegisterAsync(
            new RegisterAgentRequest(ProtocolVersion.Current, new AgentInfo { Id = new AgentId($"a{i}"), Hostname = $"h{i}", Resources = new ResourceVector(1, 1024, 1000) }, ValueList<TaskReport>.Empty),
            CancellationToken.None).AsTask()).ToList();
        var second = cluster.DeployAsync(TestCluster.App("/second", 0));
        store.Open();
        await Task.WhenAll([first, second, .. registrations]);

        // Batch after the blocked one: the deploy first, then as many registrations as fit. In arrival order it would
        // have waited for three batches of registrations.
        List<StateChange> commits;
        lock (store.Commits)
        {
            commits = [.. store.Commits];
        }
        var firstIndex = commits.FindIndex(c => c.PutApps.Any(a => a.Id.Value == "/first"));
        var secondIndex = commits.FindIndex(c => c.PutApps.Any(a => a.Id.Value == "/second"));
        Assert.Equal(firstIndex + 1, secondIndex);
        Assert.NotEmpty(commits[secondIndex].PutAgents);
        Assert.Equal(9_000, commits.Sum(c => c.PutAgents.Count()));
    }
}
