using Harrier.LoadBalancer.Marathon;

namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// The templates in force for one <see cref="LbOptions"/>: marathon-lb's defaults (with Harrier's ports, bind address,
/// stats credentials and, when live, the work directory's paths and HAProxy 2.6 forms), each replaced by the environment
/// variable <c>HAPROXY_&lt;NAME&gt;</c> (<c>\n</c> escapes become newlines) or else by the file
/// <c>&lt;templates dir&gt;/HAPROXY_&lt;NAME&gt;</c>. Loaded once per options (the only file reads of the renderer);
/// per-port label overrides are looked up per service.
/// </summary>
internal sealed class Templates
{
    private readonly Dictionary<string, string> _values;

    private Templates(Dictionary<string, string> values) => _values = values;

    public string this[string name] => _values[name];

    public static Templates Load(LbOptions options)
    {
        Validate(options);
        var env = options.Environment;
        var defaults = new Dictionary<string, string>(TemplateDefaults.All, StringComparer.Ordinal)
        {
            ["HEAD"] = Head(options, env.TryGetValue("HAPROXY_GLOBAL_DEFAULT_OPTIONS", out var o) ? o : TemplateDefaults.DefaultGlobalOptions),
        };
        var address = options.BindAddress ?? "*";
        Rebind(defaults, "HTTP_FRONTEND_HEAD", "  bind *:80\n", $"  bind {address}:{options.HttpPort}\n");
        Rebind(defaults, "HTTP_FRONTEND_APPID_HEAD", "  bind *:9091\n", $"  bind {address}:{options.AppIdPort}\n");
        Rebind(defaults, "HTTPS_FRONTEND_HEAD", "  bind *:443 ", $"  bind {address}:{options.HttpsPort} ");
        Rebind(defaults, "HTTPS_GROUPED_FRONTEND_HEAD", "  bind *:443\n", $"  bind {address}:{options.HttpsPort}\n");
        if (options.Live is not null)
        {
            foreach (var (name, text) in LiveTemplates.All)
            {
                defaults[name] = text;
            }
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in defaults)
        {
            var variable = "HAPROXY_" + name;
            if (env.TryGetValue(variable, out var fromEnv) && fromEnv.Length > 0)
            {
                values[name] = fromEnv.Replace("\\n", "\n", StringComparison.Ordinal);
            }
            else if (options.TemplatesDirectory is { } dir && File.Exists(Path.Combine(dir, variable)))
            {
                values[name] = File.ReadAllText(Path.Combine(dir, variable));
            }
            else
            {
                values[name] = text;
            }
        }
        var head = values["HEAD"];
        if (head.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Contains("daemon") || !head.Contains("expose-fd listeners", StringComparison.Ordinal))
        {
            throw new LbInputException(
                "the HAPROXY_HEAD template must not contain 'daemon' and must contain 'stats socket … expose-fd listeners' (marathon-lb 1.12's rule)");
        }
        return new Templates(values);
    }

    /// <summary>The service's <c>HAPROXY_n_&lt;NAME&gt;</c> label, else the global template.</summary>
    public string For(LbService service, string name) => service.TemplateOverrides.TryGetValue(name, out var v) ? v : _values[name];

    /// <summary>
    /// A <c>MAP_*</c> template. marathon-lb's quirk: the override it honours is the non-MAP label
    /// (<c>HAPROXY_n_HTTP_FRONTEND_ACL</c> for <c>MAP_HTTP_FRONTEND_ACL</c>); the <c>MAP_*</c> labels are read and ignored.
    /// </summary>
    public string ForMap(LbService service, string labelName) =>
        service.TemplateOverrides.TryGetValue(labelName, out var v) ? v : _values["MAP_" + labelName];

    /// <summary>The per-server check options: stripped, then one leading space unless empty.</summary>
    public string ServerCheckOptions(LbService service, string name)
    {
        var text = For(service, name).Trim();
        return text.Length > 0 ? " " + text : text;
    }

    private static void Validate(LbOptions options)
    {
        if (options.StatsAuth is { } auth && (!auth.Contains(':') || !LabelValues.IsToken(auth)))
        {
            throw new LbInputException("--stats-auth must be USER:PASS without whitespace, control characters, quotes, '\\' or '#'");
        }
        if (options.BindAddress is { } address && !LabelValues.IsToken(address))
        {
            throw new LbInputException($"--bind-address {LabelValues.Quote(address)} is not an address");
        }
        foreach (var (flag, port) in new[] { ("--http-port", options.HttpPort), ("--https-port", options.HttpsPort), ("--http-appid-port", options.AppIdPort), ("--stats-port", options.StatsPort) })
        {
            if (port is < 1 or > 65535)
            {
                throw new LbInputException($"{flag} {port} is not a port");
            }
        }
    }

    private static string Head(LbOptions options, string defaultOptions)
    {
        var lines = defaultOptions.Split(',').Select(opt => $"  option            {opt.Trim()}\n").Distinct().Order(StringComparer.Ordinal);
        var head = TemplateDefaults.Head.Replace(TemplateDefaults.DefaultOptionsMarker, string.Concat(lines), StringComparison.Ordinal)
            .Replace("  bind 0.0.0.0:9090\n", $"  bind {(options.BindAddress is null or "*" ? "0.0.0.0" : options.BindAddress)}:{options.StatsPort}\n", StringComparison.Ordinal);
        if (options.MaxConnections is { } maxconn)
        {
            head = head.Replace("  maxconn 50000\n", $"  maxconn {maxconn.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n", StringComparison.Ordinal);
        }
        if (options.StatsAuth is { } auth)
        {
            head = head.Replace("  stats enable\n", $"  stats enable\n  stats auth {auth}\n", StringComparison.Ordinal);
        }
        if (options.Live is { } live)
        {
            head = head
                .Replace("/var/run/haproxy/socket", live.StatsSocket, StringComparison.Ordinal)
                .Replace("server-state-base /var/state/haproxy/", "server-state-base " + live.StateDirectory, StringComparison.Ordinal)
                .Replace("lua-load /marathon-lb/", $"lua-load {live.LuaDirectory}/", StringComparison.Ordinal);
        }
        return head;
    }

    private static void Rebind(Dictionary<string, string> templates, string name, string from, string to) =>
        templates[name] = templates[name].Replace(from, to, StringComparison.Ordinal);
}
