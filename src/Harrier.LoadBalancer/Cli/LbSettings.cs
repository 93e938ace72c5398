namespace Harrier.LoadBalancer.Cli;

/// <summary>Everything <c>harrier lb</c> (and <c>harrier lb render</c>) was told on its command line.</summary>
public sealed record LbSettings
{
    /// <summary>What shapes the generated configuration.</summary>
    public LbOptions Render { get; init; } = new();

    /// <summary><c>--server</c> / <c>--marathon</c> (repeatable, tried in order, sticking to the one that answers).</summary>
    public IReadOnlyList<Uri> Servers { get; init; } = [new Uri("http://127.0.0.1:8080/")];

    /// <summary><c>--work-dir</c>: HAProxy's config, sockets, state and Lua services.</summary>
    public string WorkDirectory { get; init; } = "/var/lib/harrier/lb";

    /// <summary><c>--haproxy-config</c> when given (map files beside it); else the work directory's <c>haproxy.cfg</c>.</summary>
    public string? HaproxyConfig { get; init; }

    /// <summary><c>--haproxy PATH</c>: the HAProxy binary.</summary>
    public string HaproxyBinary { get; init; } = "haproxy";

    /// <summary><c>--control-address ADDR:PORT</c>: the balancer's own HTTP listener (metrics, health, signals).</summary>
    public string ControlAddress { get; init; } = "127.0.0.1";

    public int ControlPort { get; init; } = 9092;

    /// <summary><c>--auth-credentials USER:PASS</c> (marathon-lb's), else <c>HARRIER_TOKEN</c> as a bearer token.</summary>
    public string? AuthCredentials { get; init; }

    public string? BearerToken { get; init; }

    /// <summary><c>--balancer-id</c>: the name this balancer registers under (default: host name and stats port).</summary>
    public string BalancerId { get; init; } = "";

    /// <summary>False with <c>--no-register</c> (or against a Marathon, which has no balancer registry).</summary>
    public bool Register { get; init; } = true;

    /// <summary><c>--drain-timeout S</c>: how long a removed server may keep sessions before it is deleted anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>--max-backoff S</c> between event stream reconnects (marathon-lb's 300).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary><c>--dry</c>/<c>-d</c>: print the generated config on every change; do not run HAProxy.</summary>
    public bool Dry { get; init; }

    /// <summary>
    /// Hidden <c>--always-reload</c> (for the <c>lb</c> benchmark): every change reloads HAProxy, as marathon-lb did,
    /// instead of going through the runtime API.
    /// </summary>
    public bool AlwaysReload { get; init; }

    /// <summary><c>harrier lb render --apps FILE</c> (<c>-</c> for standard input).</summary>
    public string? AppsFile { get; init; }

    /// <summary>Flags marathon-lb had that Harrier accepts without effect (named in a warning at start).</summary>
    public IReadOnlyList<string> IgnoredFlags { get; init; } = [];

    /// <summary>The balancer's files.</summary>
    public LbPaths Paths => HaproxyConfig is { } config ? new LbPaths(WorkDirectory) { ConfigFile = config } : new LbPaths(WorkDirectory);
}
