using Harrier.Core.Networks;
using System.Globalization;
using Harrier.Core.Resources;

namespace Harrier.Host;

/// <summary>Flags of <c>harrier dev</c>.</summary>
internal sealed record DevOptions
{
    public const string Usage = $"""
        Usage: harrier dev [options]
          Runs a Harrier server and one local agent in one process (Marathon API on http://ADDRESS:PORT).

          --http-port N          API port (default 8080)
          --http-address ADDR    bind address (default 127.0.0.1)
          --data-dir DIR         state directory: SQLite store, agent checkpoint and sandboxes (default ./.harrier)
          --hostname NAME        the local agent's advertised hostname/HOST (default 127.0.0.1)
          --cpus N --mem MIB --disk MIB   override the local agent's detected resources
          --ports A-B[,C-D]      the local agent's host port ranges (default 31000-32000)
          --resources 'cpus:4;mem:8192;disk:40000;gpus:0;ports:[31000-32000]'   Mesos syntax, instead of the above
          --attributes 'rack:one;zone:a'   the local agent's attributes (constraints match them)
          --role ROLE            the local agent's role: * (default) or a reserved role such as slave_public
          --service-ports A-B    service port range (default 10000-20000)
          --driver process|fake  task driver; 'fake' runs nothing (benchmarks only; default process)
          --registry-mirror URL  a mirror for Docker Hub images, tried first (repeatable; an http:// URL is used as is)
          --docker-hub URL|none  where Docker Hub images come from after the mirrors (default Docker Hub; none: mirrors only)
          --insecure-registry HOST:PORT    a registry spoken to over plain HTTP (repeatable)
          --docker-config FILE   a Docker config.json with registry credentials ("auths")
          --image-gc-threshold SIZE        unpacked images kept before unused ones are removed (default 10GB; KB/MB/GB)
          --oci-runtime crun|runc          the OCI runtime for container tasks (default crun)
          --bridge-cidr CIDR     the subnet of the agent's bridge for container/bridge tasks (default 172.31.254.0/24)
          --isolation LIST       Mesos isolators, comma-separated (cgroups/cpu, cgroups/mem, filesystem/linux, docker/runtime,
                                 namespaces/pid ... are implied; network/port_mapping: host-mode tasks get a namespace of
                                 their own sharing the host's address; needs an ephemeral_ports range in --resources)
          --ephemeral-ports-per-container N      port_mapping: ephemeral ports per task (power of 2, >= 16; default 1024)
          --egress-rate-limit-per-container SIZE port_mapping: bytes per second a task may send (10MB; default unlimited)
          --network-enable-socket-statistics[-summary|-details]   port_mapping: net_tcp_* statistics (the plain flag: both)
          --eth0-name IFACE      port_mapping: the host's public interface (default: that of the default route)
          --cni-config-dir DIR   CNI network configurations (*.conflist, *.conf) offered as named networks (default none)
          --cni-plugin-dir DIR[:DIR]       where CNI plugins are looked up (default /usr/lib/cni:/opt/cni/bin)
          --max-versions N       stored versions kept per app and of the root group (default 50)
          --seed N               seed placement randomness (tests)
          --health-breaker on|off          pause health kills when many apps fail at once (default on)
          --health-breaker-share F         failing share of checked instances that trips it (default 0.5)
          --health-breaker-min-apps N      ...spread over at least N apps (default 3)
          --agent-timeout SECONDS          an agent silent this long is lost; its instances become unreachable (default 30)
          --orphan-grace SECONDS           tasks unknown to the server run this long before they are killed (default 60)
          --balancer-drain-timeout SECONDS a kill of a task a registered balancer fronts waits this long at most for its
                                           drain confirmation, unless the app sets taskKillGracePeriodSeconds (default 10)
          --http-credentials USER:PASS     HTTP Basic auth on every endpoint but /ping (repeatable; env MESOSPHERE_HTTP_CREDENTIALS)
          --http-credentials-file FILE     the same, one USER:PASS per line
          --http-realm REALM               the Basic realm (default Mesosphere)
          --acl-file FILE                  principals (password or token hashes) with read/write/admin grants per path
          --insecure                       serve the API on a non-loopback address without authentication
          --default-user USER    tasks without "user" run as USER (default nobody when the agent is root, else its own user)
          --allowed-users A,B    apps may name only these users in "user" (default: any)
          --max-instances-per-app N        the most instances one app may ask for; more is a 422 (default 100000)
          --new-group-enforce-role top|off a new top-level group enforces its role: its apps get the group's name as
                                           their role by default and no other (Marathon's --new_group_enforce_role; default off)
          --overlay NAME=CIDR    an overlay network every agent joins with a slice of CIDR (repeatable; default
                                           dcos=10.200.0.0/16, a /24 per agent; the first --overlay replaces it)
        {DiscoveryFlags.Usage}
          --task-dns IP[:PORT]   where DNS queries of tasks in their own network namespaces go, through their gateway
                                 (default: this process's --dns-port when given, else the host's resolv.conf)
          --recover-from-agents            state.db is missing, empty or corrupt: start an empty store (a damaged file is
                                           moved aside) and keep the tasks agents report as orphans, never killed
          --agent-reconcile-interval SECONDS   ask each agent for all its tasks this often (default 120; 0: at registration only)
          --agent-token-file FILE          agents must present this join secret to register (server and agent)
          --tls-cert FILE --tls-key FILE   serve the API and the agent protocol over HTTPS (PEM)
          --agent-client-ca FILE           agents must present a client certificate issued by this CA, naming them (PEM)

        harrier server [options]   the API and scheduler only (the flags above but the agent's); agents join over HTTP
        harrier agent --server URL [--work-dir DIR] [agent flags above: --hostname, --cpus, --mem, --disk, --ports,
                                   --resources, --attributes, --role, --driver, --registry-mirror, --insecure-registry,
                                   --docker-hub, --docker-config, --image-gc-threshold, --oci-runtime, --default-user,
                                   --bridge-cidr, --isolation and the port_mapping flags, --cni-config-dir, --cni-plugin-dir]
                                   an agent in its own process
                                   [--agent-token-file FILE] [--ca-cert FILE: trust only this CA for an https:// server]
                                   [--tls-client-cert FILE --tls-client-key FILE: the client certificate to present]
        """;

    public int HttpPort { get; init; } = 8080;
    public string HttpAddress { get; init; } = "127.0.0.1";
    public string DataDir { get; init; } = ".harrier";
    public string Hostname { get; init; } = "127.0.0.1";
    public double? Cpus { get; init; }
    public double? Mem { get; init; }
    public double? Disk { get; init; }
    public IReadOnlyList<PortRange> Ports { get; init; } = [new(31000, 32000)];
    public PortRange ServicePorts { get; init; } = new(10000, 20000);
    public string Driver { get; init; } = "process";
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
    public string Role { get; init; } = "*";
    public int Gpus { get; init; }
    /// <summary><c>harrier agent</c>: the server to join.</summary>
    public Uri? Server { get; init; }
    /// <summary><c>harrier agent</c>: checkpoint and sandboxes (default ./.harrier-agent).</summary>
    public string AgentWorkDir { get; init; } = ".harrier-agent";
    public IReadOnlyList<string> RegistryMirrors { get; init; } = [];
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];
    public string? DockerConfig { get; init; }
    public Harrier.Core.Networks.Ipv4Cidr BridgeCidr { get; init; } = Harrier.Core.Networks.Ipv4Cidr.Parse(Harrier.Agent.AgentOptions.DefaultBridgeCidr);
    public string? DockerHub { get; init; }
    /// <summary>Mesos' <c>--isolation</c> list.</summary>
    public IReadOnlyList<string> Isolation { get; init; } = [];
    /// <summary>The port-mapping isolator's flags and the <c>ephemeral_ports</c> resource.</summary>
    public Harrier.Agent.PortMappingIsolatorOptions PortMapping { get; init; } = new();
    public string? CniConfigDir { get; init; }
    public IReadOnlyList<string> CniPluginDirs { get; init; } = Harrier.Agent.AgentOptions.DefaultCniPluginDirs;
    public long ImageGcThreshold { get; init; } = 10L * 1000 * 1000 * 1000;
    public string OciRuntime { get; init; } = "crun";
    public int MaxVersions { get; init; } = 50;
    public int? Seed { get; init; }
    public bool HealthBreaker { get; init; } = true;
    public double HealthBreakerShare { get; init; } = 0.5;
    public int HealthBreakerMinApps { get; init; } = 3;
    public TimeSpan AgentTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan OrphanGrace { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan BalancerDrainTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public AuthFlags Auth { get; init; } = new();
    /// <summary>The agent's <c>--default-user</c>; null = nobody as root, else the agent's own user.</summary>
    public string? DefaultUser { get; init; }
    /// <summary>The server's <c>--allowed-users</c>; null = any user.</summary>
    public IReadOnlySet<string>? AllowedUsers { get; init; }
    public int MaxInstancesPerApp { get; init; } = 100_000;
    /// <summary><c>--new-group-enforce-role top</c>: new top-level groups enforce their role (§12.3).</summary>
    public bool NewGroupEnforceRole { get; init; }

    /// <summary><c>--overlay NAME=CIDR</c> (repeatable); null = the built-in <c>dcos</c> overlay.</summary>
    public IReadOnlyList<Harrier.Core.Networks.OverlayNetwork>? Overlays { get; init; }
    /// <summary>DNS and VIP flags (<c>--dns-port</c>, <c>--vip-cidr</c>, ...).</summary>
    public DiscoveryFlags Discovery { get; init; } = new();
    /// <summary><c>--recover-from-agents</c>: start from an empty store when state.db is lost, holding what agents report.</summary>
    public bool RecoverFromAgents { get; init; }
    public TimeSpan AgentReconcileInterval { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>The agents' join secret (server: required of registrations; agent: presented).</summary>
    public string? AgentTokenFile { get; init; }
    public string? TlsCert { get; init; }
    public string? TlsKey { get; init; }
    public string? AgentClientCa { get; init; }
    /// <summary><c>harrier agent</c>: trust only this CA for the server's certificate.</summary>
    public string? CaCert { get; init; }
    public string? TlsClientCert { get; init; }
    public string? TlsClientKey { get; init; }

    public static (DevOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var o = new DevOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag is "-h" or "--help")
            {
                return (null, Usage);
            }
            if (flag == "--insecure")
            {
                o = o with { Auth = o.Auth with { Insecure = true } };
                continue;
            }
            if (flag.StartsWith("--network-enable-socket-statistics", StringComparison.Ordinal))
            {
                var (summary, details) = flag switch
                {
                    "--network-enable-socket-statistics" => (true, true),
                    "--network-enable-socket-statistics-summary" => (true, o.PortMapping.SocketStatisticsDetails),
                    "--network-enable-socket-statistics-details" => (o.PortMapping.SocketStatisticsSummary, true),
                    _ => (o.PortMapping.SocketStatisticsSummary, o.PortMapping.SocketStatisticsDetails),
                };
                o = o with { PortMapping = o.PortMapping with { SocketStatisticsSummary = summary, SocketStatisticsDetails = details } };
                continue;
            }
            var discovery = o.Discovery;
            if (DiscoveryFlags.TryApplySwitch(flag, ref discovery))
            {
                o = o with { Discovery = discovery };
                continue;
            }
            if (flag == "--recover-from-agents")
            {
                o = o with { RecoverFromAgents = true };
                continue;
            }
            if (i + 1 >= args.Count)
            {
                return (null, $"harrier dev: {flag} needs a value (or is unknown)\n\n{Usage}");
            }
            var value = args[++i];
            try
            {
                o = flag switch
                {
                    "--http-port" => o with { HttpPort = Port(value) },
                    "--http-address" => o with { HttpAddress = value },
                    "--data-dir" => o with { DataDir = value },
                    "--hostname" => o with { Hostname = value },
                    "--cpus" => o with { Cpus = Positive(value) },
                    "--mem" => o with { Mem = Positive(value) },
                    "--disk" => o with { Disk = Positive(value) },
                    "--ports" => o with { Ports = [.. value.Split(',').Select(Range)] },
                    "--service-ports" => o with { ServicePorts = Range(value) },
                    "--driver" => o with { Driver = value is "process" or "fake" ? value : throw new FormatException("must be process or fake") },
                    "--registry-mirror" => o with { RegistryMirrors = [.. o.RegistryMirrors, HttpUrl(value)] },
                    "--docker-hub" => o with { DockerHub = value == "none" ? value : HttpUrl(value) },
                    "--insecure-registry" => o with { InsecureRegistries = [.. o.InsecureRegistries, HostPort(value)] },
                    "--docker-config" => o with { DockerConfig = ExistingFile(value) },
                    "--image-gc-threshold" => o with { ImageGcThreshold = Size(value) },
                    "--bridge-cidr" => o with { BridgeCidr = Harrier.Core.Networks.Ipv4Cidr.Parse(value) },
                    "--isolation" => o with { Isolation = Harrier.Agent.MesosIsolation.Parse(value) },
                    "--ephemeral-ports-per-container" => o with { PortMapping = o.PortMapping with { EphemeralPortsPerContainer = checked((int)Positive(value)) } },
                    "--egress-rate-limit-per-container" => o with { PortMapping = o.PortMapping with { EgressRateLimitPerContainer = Harrier.Agent.MesosBytes.Parse(value) is > 0 and var rate ? rate : null } },
                    "--eth0-name" => o with { PortMapping = o.PortMapping with { Eth0Name = value.Length is > 0 and <= 15 && !value.Contains('/', StringComparison.Ordinal) ? value : throw new FormatException("not an interface name") } },
                    "--cni-config-dir" or "--network-cni-config-dir" => o with { CniConfigDir = Path.GetFullPath(value) },
                    "--cni-plugin-dir" or "--network-cni-plugins-dir" => o with { CniPluginDirs = PluginDirs(value) },
                    "--oci-runtime" => o with { OciRuntime = value is "crun" or "runc" ? value : throw new FormatException("must be crun or runc") },
                    "--max-versions" => o with { MaxVersions = (int)Positive(value) },
                    "--resources" => WithResources(o, Harrier.Agent.MesosAgentFlags.ParseResources(value)),
                    "--attributes" => o with { Attributes = Harrier.Agent.MesosAgentFlags.ParseAttributes(value) },
                    "--role" => o with { Role = value.Length > 0 ? value : throw new FormatException("must not be empty") },
                    "--server" => o with { Server = ServerUri(value) },
                    "--work-dir" => o with { AgentWorkDir = value },
                    "--seed" => o with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--health-breaker" => o with { HealthBreaker = value switch { "on" => true, "off" => false, _ => throw new FormatException("must be on or off") } },
                    "--health-breaker-share" => o with { HealthBreakerShare = Share(value) },
                    "--health-breaker-min-apps" => o with { HealthBreakerMinApps = (int)Positive(value) },
                    "--agent-timeout" => o with { AgentTimeout = TimeSpan.FromSeconds(Positive(value)) },
                    "--orphan-grace" => o with { OrphanGrace = TimeSpan.FromSeconds(NonNegative(value)) },
                    "--balancer-drain-timeout" => o with { BalancerDrainTimeout = TimeSpan.FromSeconds(NonNegative(value)) },
                    "--http-credentials" => o with { Auth = o.Auth.WithCredentials(value) },
                    "--http-credentials-file" => o with { Auth = o.Auth.WithCredentialsFile(value) },
                    "--http-realm" => o with { Auth = o.Auth with { Realm = value.Length is > 0 and <= 100 && !value.Contains('"', StringComparison.Ordinal) && !value.Any(char.IsControl) ? value : throw new FormatException("must be 1-100 characters without quotes") } },
                    "--acl-file" => o with { Auth = o.Auth.WithAclFile(value) },
                    "--default-user" => o with { DefaultUser = Harrier.Agent.TaskUsers.CheckDefault(value) is { } bad ? throw new FormatException(bad) : value },
                    "--allowed-users" => o with { AllowedUsers = UserList(value) },
                    "--max-instances-per-app" => o with { MaxInstancesPerApp = checked((int)Positive(value)) },
                    "--overlay" => o with { Overlays = [.. o.Overlays ?? [], Overlay(value, o.Overlays?.Count ?? 0, o.Overlays ?? [])] },
                    "--new-group-enforce-role" => o with { NewGroupEnforceRole = value switch { "top" => true, "off" => false, _ => throw new FormatException("must be top or off") } },
                    "--agent-reconcile-interval" => o with { AgentReconcileInterval = TimeSpan.FromSeconds(NonNegative(value)) },
                    "--agent-token-file" => o with { AgentTokenFile = ExistingFile(value) },
                    "--tls-cert" => o with { TlsCert = ExistingFile(value) },
                    "--tls-key" => o with { TlsKey = ExistingFile(value) },
                    "--agent-client-ca" => o with { AgentClientCa = ExistingFile(value) },
                    "--ca-cert" => o with { CaCert = ExistingFile(value) },
                    "--tls-client-cert" => o with { TlsClientCert = ExistingFile(value) },
                    "--tls-client-key" => o with { TlsClientKey = ExistingFile(value) },
                    _ => o.Discovery.With(flag, value) is { } d ? o with { Discovery = d } : throw new ArgumentException($"unknown flag {flag}"),
                };
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or IOException or UnauthorizedAccessException)
            {
                return (null, $"harrier dev: {flag} {value}: {e.Message}\n\n{Usage}");
            }
        }
        if (o.Isolation.Contains(Harrier.Agent.MesosIsolation.PortMapping) && o.PortMapping.Validate(o.Ports) is { } isolation)
        {
            return (null, $"harrier dev: --isolation network/port_mapping: {isolation}\n\n{Usage}");
        }
        if ((o.TlsCert is null) != (o.TlsKey is null) || o.AgentClientCa is not null && o.TlsCert is null)
        {
            return (null, $"harrier dev: --tls-cert and --tls-key go together, and --agent-client-ca needs them\n\n{Usage}");
        }
        return (o, null);
    }

    private static Harrier.Core.Networks.OverlayNetwork Overlay(string v, int index, IReadOnlyList<Harrier.Core.Networks.OverlayNetwork> others)
    {
        if (!Harrier.Core.Networks.OverlayNetwork.TryParse(v, index, out var overlay, out var error))
        {
            throw new FormatException(error);
        }
        if (others.Any(o => o.Name == overlay.Name))
        {
            throw new FormatException($"the overlay '{overlay.Name}' is given twice");
        }
        if (others.FirstOrDefault(o => o.Cidr.Overlaps(overlay.Cidr)) is { } clash)
        {
            throw new FormatException($"{overlay.Cidr} overlaps the overlay '{clash.Name}' ({clash.Cidr})");
        }
        return overlay;
    }

    private static HashSet<string> UserList(string v)
    {
        var users = v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return users.Count > 0 ? users : throw new FormatException("expected user names separated by commas");
    }
    private static string[] PluginDirs(string v)
    {
        var dirs = v.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return dirs.Length > 0 && dirs.All(Path.IsPathFullyQualified) ? dirs : throw new FormatException("expected absolute directories separated by ':'");
    }

    private static string ExistingFile(string v) => File.Exists(v) ? Path.GetFullPath(v) : throw new FormatException("no such file");

    private static int Port(string v)
    {
        var p = int.Parse(v, CultureInfo.InvariantCulture);
        return p is > 0 and <= 65535 ? p : throw new FormatException("not a port");
    }

    private static double Positive(string v)
    {
        var d = double.Parse(v, CultureInfo.InvariantCulture);
        return d > 0 ? d : throw new FormatException("must be positive");
    }

    private static double NonNegative(string v)
    {
        var d = double.Parse(v, CultureInfo.InvariantCulture);
        return d >= 0 ? d : throw new FormatException("must not be negative");
    }

    private static DevOptions WithResources(DevOptions o, Harrier.Agent.AgentResourcesSpec r) => o with
    {
        Cpus = r.Cpus ?? o.Cpus,
        Mem = r.Mem ?? o.Mem,
        Disk = r.Disk ?? o.Disk,
        Gpus = r.Gpus ?? o.Gpus,
        Ports = r.Ports ?? o.Ports,
        PortMapping = r.EphemeralPorts is { } ephemeral ? o.PortMapping with { EphemeralPorts = ephemeral } : o.PortMapping,
    };

    private static Uri ServerUri(string v)
    {
        var text = v.Contains("://", StringComparison.Ordinal) ? v : "http://" + v;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : throw new FormatException("not an http(s) URL");
    }

    private static string HttpUrl(string v) =>
        Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? v.TrimEnd('/')
            : throw new FormatException("not an http(s) URL");

    private static string HostPort(string v)
    {
        var colon = v.LastIndexOf(':');
        return colon > 0 && Uri.CheckHostName(v[..colon].Trim('[', ']')) != UriHostNameType.Unknown && Port(v[(colon + 1)..]) > 0
            ? v
            : throw new FormatException("expected HOST:PORT");
    }

    /// <summary>Bytes, or a number with KB, MB, GB or TB (powers of 1000, as Docker's sizes).</summary>
    internal static long Size(string v)
    {
        var units = new (string Suffix, long Factor)[] { ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1) };
        var text = v.Trim().ToUpperInvariant();
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                return checked((long)(Positive(text[..^suffix.Length].Trim()) * factor));
            }
        }
        return checked((long)Positive(text));
    }

    private static double Share(string v)
    {
        var d = double.Parse(v, CultureInfo.InvariantCulture);
        return d is > 0 and <= 1 ? d : throw new FormatException("must be in (0, 1]");
    }

    internal static PortRange Range(string v)
    {
        var parts = v.Trim('[', ']').Split('-');
        var range = parts.Length == 2 ? new PortRange(Port(parts[0]), Port(parts[1])) : throw new FormatException("expected A-B");
        return range.Begin <= range.End ? range : throw new FormatException("begin > end");
    }
}
