using System.Diagnostics.Metrics;
using Harrier.Server.Orchestration;

namespace Harrier.Server;

/// <summary>The control plane's meter (<c>Harrier.Server</c>): gauges read the latest snapshot; counters are fed by the orchestrator.</summary>
public sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "Harrier.Server";

    private readonly Meter _meter = new(MeterName);

    public ServerMetrics(Orchestrator orchestrator)
    {
        _meter.CreateObservableGauge("harrier_apps", () => orchestrator.Snapshot.Apps.Count, description: "Apps defined");
        _meter.CreateObservableGauge("harrier_deployments", () => orchestrator.Snapshot.Deployments.Count, description: "Deployments running");
        _meter.CreateObservableGauge("harrier_agents_connected", () => orchestrator.Snapshot.Agents.Values.Count(a => a.Connected), description: "Connected agents");
        _meter.CreateObservableGauge("harrier_instances", () => orchestrator.Snapshot.Instances.Values
            .GroupBy(i => i.Condition)
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("condition", g.Key.ToString()))), description: "Instances by condition");
        _meter.CreateObservableCounter("harrier_snapshots_published_total", () => orchestrator.Snapshot.Sequence, description: "State batches committed and published");
    }

    public void Dispose() => _meter.Dispose();
}
