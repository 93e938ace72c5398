using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Server.Agents;
using Harrier.Server.Cluster;
using Harrier.Server.Commands;
using Harrier.Server.Orchestration;
using Harrier.State;
using Harrier.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harrier.Server.Tests;

/// <summary>The real orchestrator on a store, with the real gateway; the test drives it with commands and a fake agent.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private TestCluster(IClusterStore store, ServerOptions options, IEnumerable<Harrier.Server.Discovery.ISnapshotObserver>? observers = null, Func<AgentConnections, Harrier.Server.Balancers.BalancerRegistry>? balancers = null)
    {
        Store = store;
        Connections = new AgentConnections();
        Balancers = balancers?.Invoke(Connections);
        Events = new Harrier.Server.Events.EventBus();
        Orchestrator = new Orchestrator(store, Connections, options, TimeProvider.System, NullLogger<Orchestrator>.Instance, Events, observers, Balancers);
        Logs = new LogRelay(Connections) { AnswerTimeout = TimeSpan.FromSeconds(2) };
        Gateway = new AgentGateway(Orchestrator, Connections, Logs, new AgentQueryRelay(Connections));
    }

    public IClusterStore Store { get; }
    /// <summary>The balancer registry the orchestrator's kills go through, when the test made one.</summary>
    public Harrier.Server.Balancers.BalancerRegistry? Balancers { get; }
    public Harrier.Server.Events.EventBus Events { get; }
    public AgentConnections Connections { get; }
    public Orchestrator Orchestrator { get; }
    public AgentGateway Gateway { get; }
    public LogRelay Logs { get; }
    public ClusterSnapshot Snapshot => Orchestrator.Snapshot;

    public static async Task<TestCluster> StartAsync(IClusterStore? store = null, ServerOptions? options = null, IEnumerable<Harrier.Server.Discovery.ISnapshotObserver>? observers = null, Func<AgentConnections, Harrier.Server.Balancers.BalancerRegistry>? balancers = null)
    {
        var cluster = new TestCluster(store ?? new InMemoryClusterStore(), options ?? new ServerOptions { ReconcileInterval = TimeSpan.FromMilliseconds(20), RandomSeed = 7 }, observers, balancers);
        await cluster.Orchestrator.StartAsync(cluster._stop.Token);
        await cluster.Orchestrator.Loaded;
        return cluster;
    }

    public static AppSpec App(string id, int instances, string cmd = "sleep 3600") =>
        new() { Id = PathId.Parse(id), Cmd = cmd, Instances = instances, Cpus = 0.1, Mem = 16, PortDefinitions = new[] { new PortDefinition(0, "default") } };

    public Task<DeployResult> DeployAsync(AppSpec app, bool force = false) =>
        Orchestrator.ExecuteAsync<DeployResult>(new DeployAppsCommand([new AppChange(app.Id, app)], force), CancellationToken.None);

    /// <summary>Deploys an app with one health check and has the agent report every instance healthy, so the deployment ends.</summary>
    public async Task DeployHealthyAsync(FakeAgent agent, AppSpec app)
    {
        await DeployAsync(app);
        await WaitAsync(s => s.InstancesOf(app.Id).Count(i => i.Condition == Condition.Running) == app.Instances, $"{app.Instances} running");
        foreach (var i in Snapshot.InstancesOf(app.Id))
        {
            await agent.ReportPassingAsync(i.TaskId!.Value);
        }
        await WaitAsync(s => s.Deployments.IsEmpty, $"the deployment of {app.Id} to end");
    }

    public IReadOnlyList<Instance> InstancesOf(string id) => [.. Snapshot.InstancesOf(PathId.Parse(id))];

    public Task WaitAsync(Func<ClusterSnapshot, bool> condition, string what) =>
        Eventually.TrueAsync(() => condition(Snapshot), TimeSpan.FromSeconds(10), what);

    public Task WaitForRunningAsync(string id, int count) =>
        WaitAsync(s => s.InstancesOf(PathId.Parse(id)).Count(i => i.Condition == Condition.Running) == count
            && s.InstancesOf(PathId.Parse(id)).Count() == count && s.Deployments.Count == 0, $"{count} running instances of {id}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Orchestrator.StopAsync(CancellationToken.None);
        Orchestrator.Dispose();
        Balancers?.Dispose();
        _stop.Dispose();
    }
}
