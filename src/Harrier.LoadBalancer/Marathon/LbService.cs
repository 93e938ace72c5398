namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// marathon-lb's per-service-port model (<c>MarathonService</c>): one app port with its labels applied and its
/// backends. Built by <see cref="ServiceBuilder"/> (or directly, in tests of the config step) and read by the renderer;
/// mutable only while it is built.
/// </summary>
internal sealed class LbService
{
    public LbService(string appId, int servicePort, MarathonHealthCheck? healthCheck, bool strictMode, string bindAddr = "*")
    {
        AppId = appId;
        ServicePort = servicePort;
        HealthCheck = healthCheck;
        Enabled = !strictMode;
        BindAddr = bindAddr;
        if (healthCheck?.Protocol == "HTTP")
        {
            Mode = "http";
        }
    }

    public string AppId { get; set; }

    public int ServicePort { get; set; }

    public List<LbBackend> Backends { get; } = [];

    public string? Hostname { get; set; }

    public string? ProxyPath { get; set; }

    public string? RevProxyPath { get; set; }

    public string? RedirPath { get; set; }

    /// <summary><c>HAPROXY_n_GROUP</c>; when non-empty it replaces <see cref="Groups"/>.</summary>
    public IReadOnlyList<string> HaproxyGroups { get; set; } = [];

    /// <summary>The app's <c>HAPROXY_GROUP</c>.</summary>
    public IReadOnlyList<string> Groups { get; set; } = [];

    public string? Path { get; set; }

    public string? AuthRealm { get; set; }

    public string? AuthUser { get; set; }

    public string? AuthPasswd { get; set; }

    public bool Sticky { get; set; }

    public bool Enabled { get; set; }

    public bool RedirectHttpToHttps { get; set; }

    public bool UseHsts { get; set; }

    public string? SslCert { get; set; }

    public string? BindOptions { get; set; }

    public string BindAddr { get; set; }

    /// <summary><c>http</c>, <c>tcp</c>, or null (decided when rendering: http with a vhost, else tcp).</summary>
    public string? Mode { get; set; }

    public string Balance { get; set; } = "roundrobin";

    public MarathonHealthCheck? HealthCheck { get; set; }

    /// <summary>Per-port template overrides by template name (<c>FRONTEND_HEAD</c> for <c>HAPROXY_0_FRONTEND_HEAD</c>).</summary>
    public Dictionary<string, string> TemplateOverrides { get; } = new(StringComparer.Ordinal);

    public int BackendWeight { get; set; }

    public string? NetworkAllowed { get; set; }

    public int? HealthcheckPortIndex { get; set; }
}
