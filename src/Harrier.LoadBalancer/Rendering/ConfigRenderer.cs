using System.Globalization;
using System.Text;
using Harrier.LoadBalancer.Marathon;

namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// marathon-lb's <c>config()</c>: services → haproxy.cfg text and map files. Sections in marathon-lb's order (head,
/// userlists, :80, :9091, :443 and its grouped-by-vhost parts, per-service frontends, backends); services by (app id,
/// service port), servers by (host, port), vhost rules by weight (descending, stable). A service whose templates cannot be
/// filled is left out with a warning; the rest renders as if it were not there.
/// </summary>
internal sealed class ConfigRenderer
{
    private readonly Templates _templates;
    private readonly LbOptions _options;
    private readonly List<string> _warnings;
    private readonly string _haproxyDir;
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<(string Key, string Backend)> _domainMap = [];
    private readonly HashSet<(string, string)> _domainMapSet = [];
    private readonly List<(string Key, string Backend)> _appMap = [];
    private readonly HashSet<(string, string)> _appMapSet = [];
    private readonly HashSet<string> _appIdsWithHttpRule = new(StringComparer.Ordinal);
    private readonly StringBuilder _userlists = new();
    private readonly StringBuilder _frontends = new();
    private readonly StringBuilder _backends = new();
    private readonly StringBuilder _appIdRules = new();
    private readonly List<(int Weight, string Text)> _httpRules = [];
    private readonly List<(int Weight, string Text)> _httpsRules = [];
    private readonly Dictionary<string, GroupedVhost> _grouped = new(StringComparer.Ordinal);
    private readonly List<RenderedServer> _servers = [];

    private ConfigRenderer(Templates templates, LbOptions options, List<string> warnings)
    {
        _templates = templates;
        _options = options;
        _warnings = warnings;
        _haproxyDir = Path.GetDirectoryName(options.Live?.ConfigFile ?? options.ConfigFile) ?? "";
    }

    /// <summary>The config for <paramref name="services"/> (marathon-lb's service model, as <see cref="ServiceBuilder"/> makes it).</summary>
    public static RenderedConfig Render(IReadOnlyList<LbService> services, LbOptions options, Templates templates, List<string> warnings) =>
        new ConfigRenderer(templates, options, warnings).Run(services);

    /// <summary>marathon-lb's name cleaning: every character outside <c>[a-zA-Z0-9-]</c> becomes <c>_</c>.</summary>
    public static string Clean(string value) =>
        string.Create(value.Length, value, (span, v) =>
        {
            for (var i = 0; i < v.Length; i++)
            {
                span[i] = char.IsAsciiLetterOrDigit(v[i]) || v[i] == '-' ? v[i] : '_';
            }
        });

    private RenderedConfig Run(IReadOnlyList<LbService> services)
    {
        var groups = _options.Groups.ToHashSet(StringComparer.Ordinal);
        var ordered = services.OrderBy(s => s.AppId, StringComparer.Ordinal).ThenBy(s => s.ServicePort).ToList();
        foreach (var service in ordered)
        {
            var serviceGroups = service.HaproxyGroups.Count > 0 ? service.HaproxyGroups : service.Groups;
            if (!HasGroup(groups, serviceGroups) || !service.Enabled || service.Backends.Count == 0)
            {
                continue;
            }
            var draft = new ServiceDraft(_flags, _domainMapSet, _appMapSet);
            try
            {
                RenderService(service, services, draft);
            }
            catch (Exception e) when (e is TemplateFormatException or ServiceSkipException)
            {
                _warnings.Add($"app {LabelValues.Quote(service.AppId)} service port {service.ServicePort} dropped: {e.Message}");
                continue;
            }
            Commit(draft);
        }
        return Assemble();
    }

    /// <summary>marathon-lb's <c>has_group</c>: <c>*</c> matches everything, else any shared group.</summary>
    private static bool HasGroup(HashSet<string> groups, IReadOnlyList<string> serviceGroups) =>
        groups.Contains("*") || serviceGroups.Any(groups.Contains);

    private void RenderService(LbService app, IReadOnlyList<LbService> all, ServiceDraft draft)
    {
        var backend = app.AppId[1..].Replace('/', '_') + "_" + Str(app.ServicePort);
        var mode = app.Mode ?? (string.IsNullOrEmpty(app.Hostname) ? "tcp" : "http");
        var hostname = app.Hostname ?? "None";
        if (!string.IsNullOrEmpty(app.AuthUser))
        {
            draft.Userlist.Append(F(_templates.For(app, "USERLIST_HEAD"), ("backend", backend), ("user", app.AuthUser), ("passwd", app.AuthPasswd ?? "None")));
        }
        draft.Frontend.Append(F(_templates.For(app, "FRONTEND_HEAD"),
            ("bindAddr", app.BindAddr), ("backend", backend), ("servicePort", Str(app.ServicePort)), ("mode", mode),
            ("sslCert", app.SslCert is { Length: > 0 } cert ? " ssl crt " + cert : ""),
            ("bindOptions", app.BindOptions is { Length: > 0 } bind ? " " + bind : "")));
        draft.Backend.Append(F(_templates.For(app, "BACKEND_HEAD"), ("backend", backend), ("balance", app.Balance), ("mode", mode)));
        if (_options.BindHttpHttps && !string.IsNullOrEmpty(app.Hostname))
        {
            draft.VhostRules = new VhostRules(_templates, app, backend, _options.HaproxyMap, _haproxyDir, draft).Render();
        }
        if (mode == "http" && !_appIdsWithHttpRule.Contains(app.AppId))
        {
            draft.AppIdRegistered = app.AppId;
            if (_options.HaproxyMap)
            {
                if (draft.RaiseOnce("map_http_frontend_appid_acl"))
                {
                    draft.AppIdRules.Append(F(_templates.ForMap(app, "HTTP_FRONTEND_APPID_ACL"), ("haproxy_dir", _haproxyDir)));
                }
                draft.AddAppMap(app.AppId, backend);
            }
            else
            {
                draft.AppIdRules.Append(F(_templates.For(app, "HTTP_FRONTEND_APPID_ACL"),
                    ("cleanedUpAppId", Clean(app.AppId)), ("hostname", hostname), ("appId", app.AppId), ("backend", backend)));
            }
        }
        if (mode == "http")
        {
            if (app.UseHsts)
            {
                draft.Backend.Append(_templates.For(app, "BACKEND_HSTS_OPTIONS"));
            }
            draft.Backend.Append(_templates.For(app, "BACKEND_HTTP_OPTIONS"));
            if (!string.IsNullOrEmpty(app.ProxyPath))
            {
                draft.Backend.Append(F(_templates.For(app, "HTTP_BACKEND_PROXYPASS_GLUE"), ("hostname", hostname), ("proxypath", app.ProxyPath)));
            }
            if (!string.IsNullOrEmpty(app.RevProxyPath))
            {
                draft.Backend.Append(F(_templates.For(app, "HTTP_BACKEND_REVPROXY_GLUE"), ("hostname", hostname), ("rootpath", app.RevProxyPath)));
            }
            if (!string.IsNullOrEmpty(app.RedirPath))
            {
                draft.Backend.Append(F(_templates["HTTP_BACKEND_REDIR"], ("hostname", hostname), ("redirpath", app.RedirPath)));
            }
        }
        if (!string.IsNullOrEmpty(app.NetworkAllowed) && mode is "http" or "tcp")
        {
            var kind = mode == "http" ? "HTTP" : "TCP";
            foreach (var network in app.NetworkAllowed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                draft.Backend.Append(F(_templates.For(app, $"{kind}_BACKEND_NETWORK_ALLOWED_ACL"), ("network_allowed", network)));
            }
            draft.Backend.Append(_templates[$"{kind}_BACKEND_ACL_ALLOW_DENY"]);
        }
        if (app.Sticky)
        {
            draft.Backend.Append(_templates.For(app, "BACKEND_STICKY_OPTIONS"));
        }
        draft.Frontend.Append(F(_templates.For(app, "FRONTEND_BACKEND_GLUE"), ("backend", backend)));
        RenderServers(app, all, backend, mode, draft);
    }

    private void RenderServers(LbService app, IReadOnlyList<LbService> all, string backend, string mode, ServiceDraft draft)
    {
        var check = app.HealthCheck;
        var tcpCheck = check is not null && (mode == "tcp" || check.Protocol is "TCP" or "MESOS_TCP");
        var takenIds = new HashSet<int>();
        var sorted = SortedBackends(app);
        for (var idx = 0; idx < sorted.Count; idx++)
        {
            var server = sorted[idx];
            if (idx == 0 && check is not null)
            {
                var template = tcpCheck ? _templates.For(app, "BACKEND_TCP_HEALTHCHECK_OPTIONS")
                    : mode == "http" ? _templates.For(app, "BACKEND_HTTP_HEALTHCHECK_OPTIONS") : "";
                if (template.Length > 0)
                {
                    draft.Backend.Append(HealthCheckFormat(template, check, BackendPort(all, app, idx)));
                }
            }
            var serverName = Clean(server.Host != server.Ip ? $"{server.Host}_{server.Ip}_{Str(server.Port)}" : $"{server.Ip}_{Str(server.Port)}");
            var serverId = ServerIds.Next(serverName, takenIds);
            var checkOptions = "";
            if (check is not null)
            {
                var template = tcpCheck ? _templates.ServerCheckOptions(app, "BACKEND_SERVER_TCP_HEALTHCHECK_OPTIONS")
                    : mode == "http" ? _templates.ServerCheckOptions(app, "BACKEND_SERVER_HTTP_HEALTHCHECK_OPTIONS") : "";
                if (template.Length > 0)
                {
                    var port = app.HealthcheckPortIndex is not null ? BackendPort(all, app, idx) : check.Port;
                    checkOptions = HealthCheckFormat(template, check, port);
                }
            }
            draft.Backend.Append(F(_templates.For(app, "BACKEND_SERVER_OPTIONS"),
                ("host", server.Host), ("host_ipv4", server.Ip), ("port", Str(server.Port)), ("serverName", serverName),
                ("serverId", Str(serverId)), ("cookieOptions", app.Sticky ? " check cookie " + ServerIds.Cookie(serverName) : ""),
                ("healthCheckOptions", checkOptions), ("otherOptions", server.Draining ? " disabled" : "")));
            draft.Servers.Add(new RenderedServer(backend, serverName, server.TaskId, server.AppId ?? app.AppId, server.Draining));
        }
    }

    private static List<LbBackend> SortedBackends(LbService service) =>
        [.. service.Backends.OrderBy(b => b.Host, StringComparer.Ordinal).ThenBy(b => b.Port)];

    /// <summary>
    /// marathon-lb's <c>get_backend_port</c>: the port of the idx-th (sorted) backend, taken from the app's service at
    /// <c>HAPROXY_n_BACKEND_HEALTHCHECK_PORT_INDEX</c> (Python indexing: negative counts from the end) when that is in range.
    /// </summary>
    private static int BackendPort(IReadOnlyList<LbService> all, LbService app, int idx)
    {
        var same = all.Where(s => s.AppId == app.AppId).ToList();
        LbService source = app;
        if (app.HealthcheckPortIndex is { } index && Math.Abs((long)index) <= same.Count)
        {
            var ordered = same.OrderBy(s => s.AppId, StringComparer.Ordinal).ThenBy(s => s.ServicePort).ToList();
            var at = index >= 0 ? index : ordered.Count + index;
            source = at < ordered.Count ? ordered[at] : throw new ServiceSkipException($"health-check port index {index} is out of range");
        }
        var backends = SortedBackends(source);
        return idx < backends.Count ? backends[idx].Port
            : throw new ServiceSkipException("the health-check port index names a port with fewer tasks");
    }

    private static string HealthCheckFormat(string template, MarathonHealthCheck check, int? port) => F(template,
        ("healthCheckPortIndex", check.PortIndex is { } i ? Str(i) : "None"),
        ("healthCheckPort", port is { } p ? Str(p) : "None"),
        ("healthCheckProtocol", check.Protocol),
        ("healthCheckPath", check.Path ?? "/"),
        ("healthCheckTimeoutSeconds", Str(check.TimeoutSeconds)),
        ("healthCheckIntervalSeconds", Str(check.IntervalSeconds)),
        ("healthCheckGracePeriodSeconds", Str(check.GracePeriodSeconds)),
        ("healthCheckMaxConsecutiveFailures", Str(check.MaxConsecutiveFailures)),
        ("healthCheckFalls", Str(check.MaxConsecutiveFailures + 1)),
        ("healthCheckPortOptions", port is { } q and not 0 ? " port " + Str(q) : ""));

    private void Commit(ServiceDraft draft)
    {
        _userlists.Append(draft.Userlist);
        _frontends.Append(draft.Frontend);
        _backends.Append(draft.Backend);
        _appIdRules.Append(draft.AppIdRules);
        if (draft.VhostRules is var (weight, http, https))
        {
            _httpRules.Add((weight, http));
            _httpsRules.Add((weight, https));
            if (_options.GroupHttpsByVhost)
            {
                foreach (var (vhost, entry) in draft.Grouped)
                {
                    if (_grouped.TryGetValue(vhost, out var existing))
                    {
                        existing.Merge(entry);
                    }
                    else
                    {
                        _grouped[vhost] = entry;
                    }
                }
            }
        }
        _flags.UnionWith(draft.Flags);
        foreach (var entry in draft.DomainMap.Where(_domainMapSet.Add))
        {
            _domainMap.Add(entry);
        }
        foreach (var entry in draft.AppMap.Where(_appMapSet.Add))
        {
            _appMap.Add(entry);
        }
        if (draft.AppIdRegistered is { } appId)
        {
            _appIdsWithHttpRule.Add(appId);
        }
        _servers.AddRange(draft.Servers);
    }

    private RenderedConfig Assemble()
    {
        var config = new StringBuilder(_templates["HEAD"]);
        config.Append(_userlists);
        var certs = _options.SslCerts.Count > 0 ? _options.SslCerts : ["/etc/ssl/cert.pem"];
        if (_options.BindHttpHttps)
        {
            config.Append(_templates["HTTP_FRONTEND_HEAD"]);
            foreach (var (_, text) in _httpRules.OrderByDescending(r => r.Weight))
            {
                config.Append(text);
            }
        }
        config.Append(_templates["HTTP_FRONTEND_APPID_HEAD"]).Append(_appIdRules);
        if (_options.BindHttpHttps)
        {
            var vhosts = _grouped.Keys.Order(StringComparer.Ordinal).ToList();
            if (_options.GroupHttpsByVhost)
            {
                config.Append(_templates["HTTPS_GROUPED_FRONTEND_HEAD"]);
                foreach (var vhost in vhosts)
                {
                    config.Append(F(_templates["HTTPS_GROUPED_VHOST_FRONTEND_ACL"], ("backend", Clean(vhost)), ("host", vhost)));
                }
                foreach (var vhost in vhosts)
                {
                    var entry = _grouped[vhost];
                    config.Append(F(_templates["HTTPS_GROUPED_VHOST_BACKEND_HEAD"], ("name", Clean(vhost))));
                    config.Append(F(_templates["HTTPS_GROUPED_VHOST_FRONTEND_HEAD"],
                        ("name", Clean(vhost)),
                        ("sslCerts", string.Join(" ", (entry.Certs.Count > 0 ? entry.Certs : certs.Distinct()).Select(c => "crt " + c))),
                        ("bindOpts", string.Join(" ", entry.BindOptions.Select(o => " " + o)))));
                    foreach (var (_, text) in entry.Entries.OrderByDescending(e => e.Weight))
                    {
                        config.Append(text);
                    }
                }
            }
            else
            {
                config.Append(F(_templates["HTTPS_FRONTEND_HEAD"], ("sslCerts", string.Join(" ", certs.Select(c => "crt " + c)))));
                foreach (var (_, text) in _httpsRules.OrderByDescending(r => r.Weight))
                {
                    config.Append(text);
                }
            }
        }
        config.Append(_frontends).Append(_backends);
        return new RenderedConfig(
            config.ToString(),
            _options.HaproxyMap ? MapText(_domainMap) : null,
            _options.HaproxyMap ? MapText(_appMap) : null,
            _servers,
            _warnings);
    }

    private static string MapText(List<(string Key, string Backend)> entries) => string.Concat(entries.Select(e => $"{e.Key} {e.Backend}\n"));

    private static string F(string template, params (string Key, string Value)[] values) =>
        PyFormat.Format(template, values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}
