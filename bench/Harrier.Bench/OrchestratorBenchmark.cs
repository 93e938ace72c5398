using System.Diagnostics;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Protocol;
using Harrier.Server;
using Harrier.Server.Agents;
using Harrier.Server.Commands;
using Harrier.Server.Orchestration;
using Harrier.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harrier.Bench;

/// <summary>
/// <c>orchestrator</c>: the server's one writer in process, without HTTP or a simulator: the real
/// <see cref="Orchestrator"/> on the real SQLite store, <c>--agents</c> agents registered through the real gateway (their
/// command streams drained, nothing runs), then <c>--apps</c> apps of <c>--instances</c> instances in all deployed at
/// once. Prints the time from the first deploy to every instance placed (no instance left Scheduled), per run.
/// Run it with <c>DOTNET_GCgen0size=0x4000000</c>, the budget the daemons give themselves.
/// </summary>
internal static class OrchestratorBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var agentCount = args.Int("agents", 10_000);
        var instances = args.Int("instances", 100_000);
        var apps = args.Int("apps", 100);
        var runs = args.Int("runs", 3);
        var constraint = args.Values.GetValueOrDefault("constraint", "none");
        ConstraintSpec[] constraints = constraint switch
        {
            "none" => [],
            "unique" => [new ConstraintSpec("hostname", "UNIQUE")],
            "group_by" => [new ConstraintSpec("rack", "GROUP_BY")],
            _ => throw new ArgumentException("--constraint must be none, unique or group_by"),
        };
        var perApp = instances / apps;
        var figures = new List<double>();
        // The orchestrator's own histograms: how the time splits between control passes and commits.
        var seconds = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name is "harrier_orchestrator_pass_seconds" or "harrier_orchestrator_commit_seconds")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => seconds.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.Start();
        for (var run = 0; run < runs; run++)
        {
            var dataDir = Path.Combine(Path.GetTempPath(), "harrier-bench-orch-" + Guid.NewGuid().ToString("N")[..8]);
            var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = dataDir }, CancellationToken.None);
            using var stop = new CancellationTokenSource();
            var connections = new AgentConnections();
            using var orchestrator = new Orchestrator(store, connections, new ServerOptions { RandomSeed = run }, TimeProvider.System, NullLogger<Orchestrator>.Instance);
            var gateway = new AgentGateway(orchestrator, connections, new LogRelay(connections), new AgentQueryRelay(connections));
            await orchestrator.StartAsync(stop.Token);
            await orchestrator.Loaded;
            try
            {
                var drains = new List<Task>(agentCount);
                await Parallel.ForEachAsync(Enumerable.Range(0, agentCount), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
                {
                    var info = new AgentInfo
                    {
                        Id = new AgentId($"agent-{i:D6}"),
                        Hostname = $"sim-{i:D6}",
                        Resources = new ResourceVector(64, 262144, 1_000_000),
                        Ports = new[] { new PortRange(31000, 32000) },
                        Attributes = new ValueMap<string>([new("rack", $"r{i % 10}")]),
                    };
                    await gateway.RegisterAsync(new RegisterAgentRequest(ProtocolVersion.Current, info, ValueList<TaskReport>.Empty), ct);
                    lock (drains)
                    {
                        drains.Add(Drain(gateway, info.Id, stop.Token));
                    }
                });
                seconds.Clear();
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, apps).Select(a => orchestrator.ExecuteAsync(new DeployAppsCommand(
                    [new AppChange(PathId.Parse($"/bench/app-{a:D4}"), new AppSpec
                    {
                        Id = PathId.Parse($"/bench/app-{a:D4}"),
                        Cmd = "sleep 3600",
                        Instances = perApp,
                        Cpus = 0.001,
                        Mem = 1,
                        Constraints = constraints,
                    })], Force: false), CancellationToken.None)));
                var deployed = clock.Elapsed;
                while (orchestrator.Snapshot.Instances.Count < perApp * apps || !orchestrator.Snapshot.Scheduled.IsEmpty)
                {
                    await Task.Delay(5);
                }
                var placed = clock.Elapsed;
                figures.Add(placed.TotalSeconds);
                Console.WriteLine($"run {run}: {perApp * apps} instances on {agentCount} agents, constraint {constraint}: deploys returned after {deployed.TotalSeconds:0.00} s, all placed after {placed.TotalSeconds:0.00} s ({perApp * apps / placed.TotalSeconds:0} placements/s); passes {seconds.GetValueOrDefault("harrier_orchestrator_pass_seconds"):0.00} s, commits {seconds.GetValueOrDefault("harrier_orchestrator_commit_seconds"):0.00} s");
            }
            finally
            {
                await stop.CancelAsync();
                await orchestrator.StopAsync(CancellationToken.None);
                store.Dispose();
                Directory.Delete(dataDir, true);
            }
        }
        var median = Stats.Percentile(figures, 50);
        Console.WriteLine($"orchestrator, constraint {constraint}: median {median:0.00} s to all placed, {perApp * apps / median:0} placements/s");
        return 0;
    }

    private static async Task Drain(AgentGateway gateway, AgentId agent, CancellationToken token)
    {
        try
        {
            await foreach (var _ in gateway.CommandsAsync(agent, token))
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
