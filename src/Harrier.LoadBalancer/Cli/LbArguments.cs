using System.Globalization;

namespace Harrier.LoadBalancer.Cli;

/// <summary>
/// Parses <c>harrier lb</c>'s flags: marathon-lb's, with its names and meanings, and Harrier's extras. Flags of
/// marathon-lb that have no meaning here (its reload command and retries, syslog, …) are accepted and listed in
/// <see cref="LbSettings.IgnoredFlags"/> so existing command lines keep working.
/// </summary>
public static class LbArguments
{
    private static readonly HashSet<string> IgnoredWithValue =
    [
        "--command", "-c", "--reload-interval", "--max-reload-retries", "--archive-versions", "--lru-cache-capacity",
        "--syslog-socket", "--log-format", "--log-level", "--marathon-ca-cert", "--dcos-auth-credentials",
    ];

    private static readonly HashSet<string> IgnoredSwitches = ["--skip-validation", "--skip-config-cleanup", "--sse", "-s"];

    /// <summary>Parses <paramref name="args"/>; null settings and a message when they are wrong.</summary>
    /// <param name="render">True for <c>harrier lb render</c> (takes <c>--apps</c>, needs no server).</param>
    /// <param name="environment">The process environment (<c>HAPROXY_*</c> templates, <c>FRAMEWORK_NAME</c>, <c>HARRIER_TOKEN</c>).</param>
    public static LbSettings? Parse(IReadOnlyList<string> args, bool render, IReadOnlyDictionary<string, string> environment, out string? error)
    {
        try
        {
            error = null;
            return ParseOrThrow(args, render, environment);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static LbSettings ParseOrThrow(IReadOnlyList<string> args, bool render, IReadOnlyDictionary<string, string> environment)
    {
        var settings = new LbSettings();
        var options = new LbOptions();
        var servers = new List<Uri>();
        var groups = new List<string>();
        var pinned = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ignored = new List<string>();
        var live = false;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || (args[i + 1].StartsWith('-') && args[i + 1].Length > 1))
                {
                    throw new FormatException($"{flag} needs a value");
                }
                return args[++i];
            }
            switch (flag)
            {
                case "--server" or "--marathon" or "-m":
                    servers.Add(ServerUrl(Value()));
                    while (i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                    {
                        servers.Add(ServerUrl(args[++i]));
                    }
                    break;
                case "--group":
                    groups.Add(GroupName(Value()));
                    break;
                case "--haproxy-config":
                    var config = Value();
                    options = options with { ConfigFile = config };
                    settings = settings with { HaproxyConfig = Path.GetFullPath(config) };
                    break;
                case "--ssl-certs":
                    options = options with { SslCerts = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
                    break;
                case "--strict-mode":
                    options = options with { StrictMode = true };
                    break;
                case "--health-check" or "-H":
                    options = options with { HealthCheck = true };
                    break;
                case "--haproxy-map":
                    options = options with { HaproxyMap = true };
                    break;
                case "--dont-bind-http-https":
                    options = options with { BindHttpHttps = false };
                    break;
                case "--group-https-by-vhost":
                    options = options with { GroupHttpsByVhost = true };
                    break;
                case "--min-serv-port-ip-per-task":
                    options = options with { MinServicePortIpPerTask = Port(flag, Value()) };
                    break;
                case "--max-serv-port-ip-per-task":
                    options = options with { MaxServicePortIpPerTask = Port(flag, Value()) };
                    break;
                case "--templates":
                    options = options with { TemplatesDirectory = Value() };
                    break;
                case "--bind-address":
                    options = options with { BindAddress = Address(flag, Value()) };
                    break;
                case "--http-port":
                    options = options with { HttpPort = Port(flag, Value()) };
                    break;
                case "--https-port":
                    options = options with { HttpsPort = Port(flag, Value()) };
                    break;
                case "--http-appid-port":
                    options = options with { AppIdPort = Port(flag, Value()) };
                    break;
                case "--stats-port":
                    options = options with { StatsPort = Port(flag, Value()) };
                    break;
                case "--maxconn":
                    options = options with { MaxConnections = Port(flag, Value()) };
                    break;
                case "--stats-auth":
                    options = options with { StatsAuth = StatsAuth(Value()) };
                    break;
                case "--resolve":
                    var (host, ip) = Resolve(Value());
                    pinned[host] = ip;
                    break;
                case "--work-dir":
                    settings = settings with { WorkDirectory = Path.GetFullPath(Value()) };
                    live = true;
                    break;
                case "--live" when render:
                    live = true;
                    break;
                case "--apps" when render:
                    settings = settings with { AppsFile = Value() };
                    break;
                case "--haproxy" when !render:
                    settings = settings with { HaproxyBinary = Value() };
                    break;
                case "--control-address" when !render:
                    var (address, port) = HostPort(flag, Value());
                    settings = settings with { ControlAddress = address, ControlPort = port };
                    break;
                case "--balancer-id" when !render:
                    settings = settings with { BalancerId = BalancerId(Value()) };
                    break;
                case "--no-register" when !render:
                    settings = settings with { Register = false };
                    break;
                case "--drain-timeout" when !render:
                    settings = settings with { DrainTimeout = Seconds(flag, Value()) };
                    break;
                case "--max-backoff" when !render:
                    settings = settings with { MaxBackoff = Seconds(flag, Value()) };
                    break;
                case "--auth-credentials":
                    settings = settings with { AuthCredentials = Credentials(Value()) };
                    break;
                case "--marathon-auth-credential-file":
                    var file = Value();
                    string text;
                    try
                    {
                        text = File.ReadAllText(file).Trim();
                    }
                    catch (IOException e)
                    {
                        throw new FormatException($"--marathon-auth-credential-file {file}: {e.Message}");
                    }
                    catch (UnauthorizedAccessException e)
                    {
                        throw new FormatException($"--marathon-auth-credential-file {file}: {e.Message}");
                    }
                    settings = settings with { AuthCredentials = Credentials(text) };
                    break;
                case "--always-reload" when !render:
                    settings = settings with { AlwaysReload = true };
                    break;
                case "--dry" or "-d" when !render:
                    settings = settings with { Dry = true };
                    break;
                default:
                    if (IgnoredWithValue.Contains(flag))
                    {
                        Value();
                        ignored.Add(flag);
                    }
                    else if (IgnoredSwitches.Contains(flag))
                    {
                        ignored.Add(flag);
                    }
                    else
                    {
                        throw new FormatException($"unknown flag {flag}");
                    }
                    break;
            }
        }
        if (groups.Count == 0)
        {
            throw new FormatException("--group is required (repeatable; '*' matches every app)");
        }
        if (render && settings.AppsFile is null)
        {
            throw new FormatException("--apps FILE is required (a /v2/apps?embed=apps.tasks body; - for standard input)");
        }
        if (options.MinServicePortIpPerTask > options.MaxServicePortIpPerTask)
        {
            throw new FormatException("--min-serv-port-ip-per-task is above --max-serv-port-ip-per-task");
        }
        var templateEnvironment = environment
            .Where(e => e.Key.StartsWith("HAPROXY_", StringComparison.Ordinal) || e.Key == "FRAMEWORK_NAME")
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var resolver = new HostResolver(pinned);
        options = options with { Groups = groups, Environment = templateEnvironment, Resolve = resolver.Resolve };
        settings = settings with
        {
            Servers = servers.Count > 0 ? servers : settings.Servers,
            IgnoredFlags = ignored,
            BearerToken = environment.TryGetValue("HARRIER_TOKEN", out var token) && token.Length > 0 ? token.Trim() : null,
            BalancerId = settings.BalancerId.Length > 0 ? settings.BalancerId : DefaultBalancerId(options.StatsPort),
        };
        if (!render || live)
        {
            options = options with
            {
                Live = settings.Paths,
                ConfigFile = settings.Paths.ConfigFile,
            };
        }
        return settings with { Render = options };
    }

    private static Uri ServerUrl(string value) =>
        Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri : throw new FormatException($"--server {value}: must be an http:// or https:// URL");

    private static string GroupName(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*')
            ? value : throw new FormatException($"--group {value}: letters, digits, '-', '_', '.' or '*'");

    private static int Port(string flag, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port : throw new FormatException($"{flag} {value}: a port 1..65535");

    private static TimeSpan Seconds(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 0 and <= 86400
            ? TimeSpan.FromSeconds(s) : throw new FormatException($"{flag} {value}: seconds, 0..86400");

    private static string Address(string flag, string value) =>
        value == "*" || System.Net.IPAddress.TryParse(value, out _) ? value : throw new FormatException($"{flag} {value}: an IP address or *");

    private static (string Address, int Port) HostPort(string flag, string value)
    {
        var colon = value.LastIndexOf(':');
        return colon <= 0 ? throw new FormatException($"{flag} {value}: ADDR:PORT")
            : (Address(flag, value[..colon].Trim('[', ']')), Port(flag, value[(colon + 1)..]));
    }

    private static string StatsAuth(string value) =>
        value.IndexOf(':', StringComparison.Ordinal) > 0 && value.All(c => c > ' ' && c < 0x7f)
            ? value : throw new FormatException("--stats-auth: USER:PASS without spaces or control characters");

    private static string Credentials(string value) =>
        value.IndexOf(':', StringComparison.Ordinal) > 0 && !value.Any(char.IsControl)
            ? value : throw new FormatException("credentials: USER:PASS");

    private static (string Host, string Ip) Resolve(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && System.Net.IPAddress.TryParse(value[(equals + 1)..], out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? (value[..equals], ip.ToString())
            : throw new FormatException($"--resolve {value}: HOST=IPv4");
    }

    private static string BalancerId(string value) =>
        value.Length is > 0 and <= 63 && char.IsAsciiLetterLower(value[0]) | char.IsAsciiDigit(value[0])
            && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-')
            ? value : throw new FormatException($"--balancer-id {value}: lower-case letters, digits, '.', '_', '-' (63 at most)");

    private static string DefaultBalancerId(int statsPort)
    {
        var host = new string([.. Environment.MachineName.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')]);
        var id = $"{(host.Length == 0 ? "lb" : host)}-{statsPort.ToString(CultureInfo.InvariantCulture)}";
        return id.Length > 63 ? id[^63..].TrimStart('-', '.') : id;
    }
}
