using Harrier.Core.Resources;
using Harrier.Server.Health;

namespace Harrier.Server;

/// <summary>Control-plane configuration (Marathon's flags where one exists, named after it in comments).</summary>
public sealed class ServerOptions
{
    /// <summary>Service-port range, inclusive (<c>--local_port_min</c>/<c>--local_port_max</c>).</summary>
    public PortRange ServicePorts { get; set; } = new(10000, 20000);

    /// <summary><c>--max_running_deployments</c>: more gives 403.</summary>
    public int MaxRunningDeployments { get; set; } = 100;

    /// <summary><c>--mesos_role</c>: the default role of apps.</summary>
    public string DefaultRole { get; set; } = "*";

    /// <summary><c>--new_group_enforce_role</c> <c>top</c>: a new top-level group enforces its role unless its body says otherwise.</summary>
    public bool NewGroupEnforceRole { get; set; }

    /// <summary>The overlays every agent joins (<c>--overlay NAME=CIDR</c>); <c>dcos</c> by default.</summary>
    public IReadOnlyList<Harrier.Core.Networks.OverlayNetwork> Overlays { get; set; } = [Harrier.Core.Networks.OverlayNetwork.Default];

    /// <summary>Grace between SIGTERM and SIGKILL when an app sets no <c>taskKillGracePeriodSeconds</c> (Mesos' default is 3 s).</summary>
    public int DefaultKillGracePeriodSeconds { get; set; } = 3;

    /// <summary>
    /// <c>--balancer-drain-timeout</c> (Harrier): how long a kill of a task a registered balancer fronts waits for the
    /// balancers to confirm they drained it, when its app sets no <c>taskKillGracePeriodSeconds</c> (which bounds it
    /// otherwise). Zero: kills are never held.
    /// </summary>
    public TimeSpan BalancerDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the control loop re-evaluates launches, kills and deployments when nothing else wakes it.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A kill sent to an agent that has not taken effect after this long is sent again.</summary>
    public TimeSpan KillRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Provisioned/Staging/Starting longer than this is killed (<c>--task_launch_timeout</c>).</summary>
    public TimeSpan TaskLaunchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Named networks every agent has (the overlays): an app on one may go to any agent, while an app on any
    /// other named network goes only to agents that offer it (<c>AgentInfo.Networks</c>, their CNI networks). Default:
    /// the names of <see cref="Overlays"/>.</summary>
    public Func<string, bool> IsClusterNetwork
    {
        get => _isClusterNetwork ?? (name => Overlays.Any(o => o.Name == name));
        set => _isClusterNetwork = value;
    }

    private Func<string, bool>? _isClusterNetwork;

    /// <summary>DNS records and VIPs (<c>--vip-cidr</c>, <c>--dns-only-healthy</c>, <c>--dns-ip-sources</c>).</summary>
    public Discovery.DiscoveryOptions Discovery { get; set; } = new();

    /// <summary>Seed for placement randomness (random host ports); null = from the clock.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>The address this server advertises as leader (<c>host:port</c>).</summary>
    public string Advertise { get; set; } = "127.0.0.1:8080";

    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary><c>--allowed-users</c>: the only users apps may name in <c>user</c>; null = any. An app without
    /// <c>user</c> runs as its agent's default user and is always allowed.</summary>
    public IReadOnlySet<string>? AllowedUsers { get; set; }

    /// <summary>The health-kill circuit breaker (Harrier; Marathon has none).</summary>
    public HealthBreakerOptions HealthBreaker { get; set; } = new();

    public int HttpPort { get; set; } = 8080;

    /// <summary>
    /// An agent not heard from (heartbeat, status, registration) for this long is lost: its active instances become
    /// Unreachable and each app's <c>unreachableStrategy</c> takes over (Mesos' agent ping timeout × max pings).
    /// Agents are told to heartbeat four times per timeout, at most every 15 s (Mesos pings every 15 s).
    /// </summary>
    public TimeSpan AgentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a task unknown to this server may run before it is killed (see <c>GET /v2/orphans</c>).</summary>
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often each connected agent is asked for every task it runs (Marathon's <c>--reconciliation_interval</c>);
    /// a task it runs that the server does not track for it is then killed after <see cref="OrphanGracePeriod"/>.
    /// Zero: only at registration.
    /// </summary>
    public TimeSpan AgentReconcileInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The heartbeat period asked of agents: a quarter of <see cref="AgentTimeout"/>, between 100 ms and 15 s.</summary>
    public TimeSpan HeartbeatInterval =>
        TimeSpan.FromMilliseconds(Math.Clamp(AgentTimeout.TotalMilliseconds / 4, 100, 15_000));

    /// <summary><c>--max-instances-per-app</c> (Harrier): the most <c>instances</c> one app may ask for; more is a 422.</summary>
    public int MaxInstancesPerApp { get; set; } = 100_000;

    /// <summary>
    /// <c>--recover-from-agents</c> (Harrier): the store started empty on purpose, so tasks agents report that no
    /// instance claims are kept as orphans (listed in <c>GET /v2/orphans</c>) and never killed automatically.
    /// </summary>
    public bool HoldOrphans { get; set; }
}
