namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// Applies an app's <c>HAPROXY_n_*</c> labels to the service of port index n, in marathon-lb's order: by the label's
/// name part, alphabetically (so <c>BACKEND_WEIGHT</c> runs before <c>PATH</c>, which lifts a weight of 0 to 1). A value
/// that is malformed or could inject config (see <see cref="LabelValues"/>) is an <see cref="AppFormatException"/>: the
/// caller drops the service.
/// </summary>
internal static class LabelApplier
{
    /// <summary>The per-port template overrides (<c>set_label</c> in marathon-lb's config.py).</summary>
    public static readonly IReadOnlyList<string> TemplateLabels =
    [
        "FRONTEND_HEAD", "USERLIST_HEAD", "BACKEND_REDIRECT_HTTP_TO_HTTPS", "BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH",
        "BACKEND_HEAD", "HTTP_FRONTEND_ACL", "MAP_HTTP_FRONTEND_ACL", "HTTP_FRONTEND_ACL_ONLY", "MAP_HTTP_FRONTEND_ACL_ONLY",
        "HTTP_FRONTEND_ROUTING_ONLY", "HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH", "HTTP_FRONTEND_ACL_WITH_AUTH",
        "HTTP_FRONTEND_ACL_WITH_PATH", "HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH", "HTTP_FRONTEND_ACL_ONLY_WITH_PATH",
        "HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH", "HTTPS_FRONTEND_ACL_ONLY_WITH_PATH", "HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH",
        "HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH", "HTTP_FRONTEND_APPID_ACL", "MAP_HTTP_FRONTEND_APPID_ACL",
        "HTTPS_FRONTEND_ACL", "MAP_HTTPS_FRONTEND_ACL", "HTTPS_FRONTEND_ACL_WITH_AUTH", "HTTPS_FRONTEND_ACL_WITH_PATH",
        "HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH", "BACKEND_HTTP_OPTIONS", "HTTP_BACKEND_PROXYPASS_GLUE",
        "HTTP_BACKEND_REVPROXY_GLUE", "BACKEND_HSTS_OPTIONS", "BACKEND_HTTP_HEALTHCHECK_OPTIONS",
        "BACKEND_TCP_HEALTHCHECK_OPTIONS", "BACKEND_STICKY_OPTIONS", "BACKEND_SERVER_OPTIONS",
        "BACKEND_SERVER_TCP_HEALTHCHECK_OPTIONS", "BACKEND_SERVER_HTTP_HEALTHCHECK_OPTIONS", "FRONTEND_BACKEND_GLUE",
        "HTTP_BACKEND_NETWORK_ALLOWED_ACL", "TCP_BACKEND_NETWORK_ALLOWED_ACL",
    ];

    /// <summary>Template overrides that open a section, and the one keyword their one unindented line must start with.</summary>
    private static readonly Dictionary<string, string> SectionHeads = new(StringComparer.Ordinal)
    {
        ["FRONTEND_HEAD"] = "frontend ",
        ["BACKEND_HEAD"] = "backend ",
        ["USERLIST_HEAD"] = "userlist ",
    };

    private static readonly (string Name, Action<LbService, string> Apply)[] Handlers = BuildHandlers();

    public static void Apply(LbService service, IReadOnlyDictionary<string, string> labels, int portIndex)
    {
        var prefix = $"HAPROXY_{portIndex}_";
        foreach (var (name, apply) in Handlers)
        {
            if (labels.TryGetValue(prefix + name, out var value))
            {
                apply(service, value);
            }
        }
    }

    private static (string, Action<LbService, string>)[] BuildHandlers()
    {
        var handlers = new List<(string, Action<LbService, string>)>
        {
            ("AUTH", SetAuth),
            ("VHOST", (s, v) => s.Hostname = VhostValue(v)),
            ("GROUP", (s, v) => s.HaproxyGroups = v.Split(',')),
            ("PATH", (s, v) =>
            {
                s.Path = Text("PATH", v);
                if (s.BackendWeight == 0)
                {
                    s.BackendWeight = 1;
                }
            }),
            ("STICKY", (s, v) => s.Sticky = LabelValues.ToBool(v)),
            ("ENABLED", (s, v) => s.Enabled = LabelValues.ToBool(v)),
            ("REDIRECT_TO_HTTPS", (s, v) => s.RedirectHttpToHttps = LabelValues.ToBool(v)),
            ("USE_HSTS", (s, v) => s.UseHsts = LabelValues.ToBool(v)),
            ("SSL_CERT", (s, v) => s.SslCert = Token("SSL_CERT", v)),
            ("BIND_OPTIONS", (s, v) => s.BindOptions = Text("BIND_OPTIONS", v)),
            ("BIND_ADDR", (s, v) => s.BindAddr = Token("BIND_ADDR", v)),
            ("PORT", (s, v) => s.ServicePort = Int("PORT", v) is var p and >= 1 and <= 65535 ? p : throw Bad("PORT", v)),
            ("MODE", (s, v) => s.Mode = v.ToLowerInvariant() is "http" or "tcp" ? v.ToLowerInvariant() : throw Bad("MODE", v)),
            ("BALANCE", (s, v) => s.Balance = v.Length > 0 ? Text("BALANCE", v) : throw Bad("BALANCE", v)),
            ("HTTP_BACKEND_PROXYPASS_PATH", (s, v) => s.ProxyPath = Token("HTTP_BACKEND_PROXYPASS_PATH", v)),
            ("HTTP_BACKEND_REVPROXY_PATH", (s, v) => s.RevProxyPath = Token("HTTP_BACKEND_REVPROXY_PATH", v)),
            ("HTTP_BACKEND_REDIR", (s, v) => s.RedirPath = Token("HTTP_BACKEND_REDIR", v)),
            ("BACKEND_WEIGHT", (s, v) => s.BackendWeight = Int("BACKEND_WEIGHT", v)),
            ("BACKEND_NETWORK_ALLOWED_ACL", (s, v) => s.NetworkAllowed = Text("BACKEND_NETWORK_ALLOWED_ACL", v)),
            ("BACKEND_HEALTHCHECK_PORT_INDEX", (s, v) => s.HealthcheckPortIndex = Int("BACKEND_HEALTHCHECK_PORT_INDEX", v)),
        };
        foreach (var template in TemplateLabels)
        {
            handlers.Add((template, (s, v) => s.TemplateOverrides[template] = TemplateValue(template, v)));
        }
        return [.. handlers.OrderBy(h => h.Item1, StringComparer.Ordinal)];
    }

    private static void SetAuth(LbService service, string value)
    {
        var parts = value.Split(':');
        if (parts.Length != 3 || !LabelValues.IsText(parts[0]) || !LabelValues.IsToken(parts[1]) || !LabelValues.IsToken(parts[2]))
        {
            throw new AppFormatException($"label AUTH is not realm:user:password ({LabelValues.Quote(value)})");
        }
        (service.AuthRealm, service.AuthUser, service.AuthPasswd) = (parts[0], parts[1], parts[2]);
    }

    private static string VhostValue(string value)
    {
        var lower = value.ToLowerInvariant();
        // An empty VHOST is marathon-lb's "no vhost" (a falsy string).
        return lower.Length == 0 || lower.Split(',').All(LabelValues.IsToken) ? lower : throw Bad("VHOST", value);
    }

    private static string Token(string name, string value) => LabelValues.IsToken(value) ? value : throw Bad(name, value);

    private static string Text(string name, string value) => LabelValues.IsText(value) ? value : throw Bad(name, value);

    private static int Int(string name, string value) => LabelValues.TryInt(value, out var n) ? n : throw Bad(name, value);

    private static AppFormatException Bad(string name, string value) => new($"label {name} has an unusable value {LabelValues.Quote(value)}");

    /// <summary>
    /// A template override is config text by design, so newlines are allowed, but it stays in its section: every
    /// non-blank line is indented, except a section head's one line opening its own section.
    /// </summary>
    private static string TemplateValue(string name, string value)
    {
        var text = value.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            throw new AppFormatException($"template label {name} has control characters");
        }
        var unindented = text.Split('\n').Where(l => l.Length > 0 && l[0] is not ' ' and not '\t').ToList();
        var allowed = SectionHeads.TryGetValue(name, out var keyword)
            ? unindented.Count == 1 && unindented[0].StartsWith(keyword, StringComparison.Ordinal)
            : unindented.Count == 0;
        return allowed ? text : throw new AppFormatException($"template label {name} would start a config section of its own");
    }
}
