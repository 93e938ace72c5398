namespace Harrier.LoadBalancer;

/// <summary>
/// What shapes the generated HAProxy configuration: marathon-lb's flags with their names and defaults
/// (<c>--group</c>, <c>--haproxy-map</c>, …) plus Harrier's few extras (ports and bind address of the fixed frontends,
/// the stats listener). The defaults render exactly what marathon-lb writes; <see cref="Live"/> switches the head's
/// paths to the balancer's work directory and the two templates HAProxy 2.6 no longer parses to their modern form.
/// </summary>
public sealed record LbOptions
{
    /// <summary><c>--group</c> (repeatable; <c>*</c> matches every app, also those without a group).</summary>
    public IReadOnlyList<string> Groups { get; init; } = ["external"];

    /// <summary>False with <c>--dont-bind-http-https</c>: no :80 and :443 frontends.</summary>
    public bool BindHttpHttps { get; init; } = true;

    /// <summary><c>--ssl-certs</c>, comma list; marathon-lb's default is <c>/etc/ssl/cert.pem</c>.</summary>
    public IReadOnlyList<string> SslCerts { get; init; } = ["/etc/ssl/cert.pem"];

    /// <summary><c>--haproxy-map</c>: vhost and app-id routing through map files.</summary>
    public bool HaproxyMap { get; init; }

    /// <summary><c>--group-https-by-vhost</c>.</summary>
    public bool GroupHttpsByVhost { get; init; }

    /// <summary><c>--haproxy-config</c>: the config file; map files live in its directory.</summary>
    public string ConfigFile { get; init; } = "/etc/haproxy/haproxy.cfg";

    /// <summary><c>--health-check</c>: only tasks Marathon reports alive become servers.</summary>
    public bool HealthCheck { get; init; }

    /// <summary><c>--strict-mode</c>: a port is exposed only with <c>HAPROXY_n_ENABLED=true</c>.</summary>
    public bool StrictMode { get; init; }

    /// <summary>
    /// The <c>HAPROXY_*</c> environment in force (template overrides, <c>HAPROXY_GLOBAL_DEFAULT_OPTIONS</c>); the
    /// environment wins over <see cref="TemplatesDirectory"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--templates DIR</c>: files named <c>HAPROXY_&lt;NAME&gt;</c> override templates.</summary>
    public string? TemplatesDirectory { get; init; }

    /// <summary><c>--min-serv-port-ip-per-task</c> / <c>--max-serv-port-ip-per-task</c> (marathon-lb's 10050/10100).</summary>
    public int MinServicePortIpPerTask { get; init; } = 10050;

    public int MaxServicePortIpPerTask { get; init; } = 10100;

    /// <summary>
    /// <c>--bind-address</c> (Harrier): replaces <c>*</c> in the fixed frontends' binds and is the default of
    /// <c>HAPROXY_n_BIND_ADDR</c>. Null keeps marathon-lb's <c>*</c>.
    /// </summary>
    public string? BindAddress { get; init; }

    /// <summary><c>--http-port</c>, <c>--https-port</c>, <c>--http-appid-port</c>, <c>--stats-port</c> (Harrier; marathon-lb's fixed values by default).</summary>
    public int HttpPort { get; init; } = 80;

    public int HttpsPort { get; init; } = 443;

    public int AppIdPort { get; init; } = 9091;

    public int StatsPort { get; init; } = 9090;

    /// <summary><c>--stats-auth USER:PASS</c>: the stats listener asks for credentials.</summary>
    public string? StatsAuth { get; init; }

    /// <summary>
    /// <c>--maxconn N</c> (Harrier): the global <c>maxconn</c> instead of marathon-lb's 50,000, which needs about
    /// 100,000 file descriptors; the live balancer lowers it to what the open-files limit allows when not given.
    /// </summary>
    public int? MaxConnections { get; init; }

    /// <summary>Task host name → IPv4 (marathon-lb resolves the agent host name of host and bridge tasks).</summary>
    public Func<string, string?> Resolve { get; init; } = _ => null;

    /// <summary>Null: marathon-lb's paths and dialect, byte for byte. Set: what the live balancer hands HAProxy 2.6.</summary>
    public LbPaths? Live { get; init; }
}
