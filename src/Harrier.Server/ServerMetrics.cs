using System.Diagnostics.Metrics;
using Harrier.Server.Orchestration;

namespace Harrier.Server;

/// <summary>The control plane's meter (<c>Harrier.Server</c>): gauges read the latest snapshot; counters are fed by the orchestrator.</summary>
public sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "Harrier.Server";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Time of one control pass (commands + deployments + maintenance + launches), before the commit.</summary>
    internal static Histogram<double> PassDuration { get; } = Meter.CreateHistogram<double>("harrier_orchestrator_pass_seconds", "s", "Orchestrator batch: applying commands and one control pass");

    /// <summary>Time of one durable commit of a batch.</summary>
    internal static Histogram<double> CommitDuration { get; } = Meter.CreateHistogram<double>("harrier_orchestrator_commit_seconds", "s", "Orchestrator batch: committing the state change");

    internal static Counter<long> Commands { get; } = Meter.CreateCounter<long>("harrier_orchestrator_commands_total", description: "Commands applied by the orchestrator");

    /// <summary>Instances killed for failing their health checks.</summary>
    internal static Counter<long> HealthKills { get; } = Meter.CreateCounter<long>("harrier_health_kills_total", description: "Instances killed for failing health checks");

    /// <summary>Kills held for balancers that ended, by <c>outcome</c>: confirmed, timeout, released (balancer gone, task ended).</summary>
    internal static Counter<long> BalancerHoldsEnded { get; } = Meter.CreateCounter<long>("harrier_balancer_kill_holds_ended_total", description: "Kills held for balancers' drain confirmation that ended, by outcome");

    /// <summary>How long kills were held for balancers' drain confirmation.</summary>
    internal static Histogram<double> BalancerHoldDuration { get; } = Meter.CreateHistogram<double>("harrier_balancer_kill_hold_seconds", "s", "Time a kill was held for balancers' drain confirmation");

    private readonly List<Instrument> _gauges = [];

    public ServerMetrics(Orchestrator orchestrator, Balancers.BalancerRegistry? balancers = null)
    {
        if (balancers is not null)
        {
            _gauges.Add(Meter.CreateObservableGauge("harrier_balancer_kill_holds", () => balancers.HoldCount, description: "Kills held until registered balancers confirm draining the task"));
        }
        _gauges.Add(Meter.CreateObservableGauge("harrier_apps", () => orchestrator.Snapshot.Apps.Count, description: "Apps defined"));
        _gauges.Add(Meter.CreateObservableGauge("harrier_deployments", () => orchestrator.Snapshot.Deployments.Count, description: "Deployments running"));
        _gauges.Add(Meter.CreateObservableGauge("harrier_agents_connected", () => orchestrator.Snapshot.Agents.Values.Count(a => a.Connected), description: "Connected agents"));
        _gauges.Add(Meter.CreateObservableGauge("harrier_instances", () => orchestrator.Snapshot.Tally.NonZero()
            .Select(c => new Measurement<int>(c.Count, new KeyValuePair<string, object?>("condition", c.Condition.ToString()))), description: "Instances by condition"));
        _gauges.Add(Meter.CreateObservableGauge("harrier_health_kill_breaker_state", () => (int)orchestrator.Snapshot.HealthBreaker.Mode,
            description: "Health-kill circuit breaker: 0 closed, 1 open (kills paused), 2 recovering (kills resume gradually)"));
        _gauges.Add(Meter.CreateObservableGauge("harrier_health_kills_deferred", () => orchestrator.Snapshot.HealthBreaker.DeferredKills,
            description: "Health kills held back by the circuit breaker since it last opened"));
        _gauges.Add(Meter.CreateObservableGauge("harrier_instances_unhealthy", () => orchestrator.Snapshot.Tally.Unhealthy,
            description: "Instances whose health checks fail"));
        _gauges.Add(Meter.CreateObservableCounter("harrier_snapshots_published_total", () => orchestrator.Snapshot.Sequence, description: "State batches committed and published"));
    }

    /// <summary>The meter is process-wide (the orchestrator records into it); only this instance's gauges end here.</summary>
    public void Dispose() => _gauges.Clear();
}
