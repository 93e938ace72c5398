using Harrier.LoadBalancer.Marathon;

namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// marathon-lb's <c>generateHttpVhostAcl</c>: a service's rules on the :80 and :443 frontends (and its share of the
/// grouped-by-vhost table) for its VHOST label: one vhost or several (comma list, sharing the first one's ACL name),
/// with or without path, auth, redirect to HTTPS, and with <c>--haproxy-map</c> the single map lookup line (emitted once
/// per config, which also lowers that service's rule weight to -1) plus map entries. Template names and the keys each
/// template is formatted with are marathon-lb's.
/// </summary>
internal sealed class VhostRules(Templates templates, LbService app, string backend, bool haproxyMap, string haproxyDir, ServiceDraft draft)
{
    private string Acl(string host) => ConfigRenderer.Clean(host) + "_" + app.AppId[1..].Replace('/', '_');

    private string T(string name) => templates.For(app, name);

    private static string F(string template, params (string Key, string Value)[] values) =>
        PyFormat.Format(template, values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));

    public (int Weight, string Http, string Https) Render()
    {
        var hostname = app.Hostname!;
        return hostname.Contains(',') ? Multiple(hostname.Split(',')) : Single(hostname);
    }

    private (int, string, string) Multiple(string[] vhosts)
    {
        var weight = app.BackendWeight;
        var http = "";
        var https = "";
        var acl = Acl(vhosts[0]);
        var realm = app.AuthRealm;
        var path = app.Path;
        if (!string.IsNullOrEmpty(path))
        {
            if (!string.IsNullOrEmpty(realm))
            {
                http += F(T("HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH"),
                    ("path", path), ("cleanedUpHostname", acl), ("hostname", vhosts[0]), ("realm", realm), ("backend", backend));
                https += F(T("HTTPS_FRONTEND_ACL_ONLY_WITH_PATH"),
                    ("path", path), ("cleanedUpHostname", acl), ("hostname", vhosts[0]), ("realm", realm), ("backend", backend));
            }
            else
            {
                http += F(T("HTTP_FRONTEND_ACL_ONLY_WITH_PATH"), ("path", path), ("backend", backend));
                https += F(T("HTTPS_FRONTEND_ACL_ONLY_WITH_PATH"), ("path", path), ("backend", backend));
            }
        }
        var pathHead = https;
        foreach (var vhost in vhosts)
        {
            var grouped = draft.GroupedFor(vhost);
            grouped.Entries.Add((weight, pathHead));
            AddTls(grouped);
            if (haproxyMap && string.IsNullOrEmpty(path) && string.IsNullOrEmpty(realm) && !app.RedirectHttpToHttps)
            {
                if (draft.RaiseOnce("map_http_frontend_acl"))
                {
                    weight = -1;
                    http += F(templates.ForMap(app, "HTTP_FRONTEND_ACL_ONLY"), ("haproxy_dir", haproxyDir));
                }
                draft.AddDomainMap(vhost, backend);
            }
            else
            {
                http += F(T("HTTP_FRONTEND_ACL_ONLY"), ("cleanedUpHostname", acl), ("hostname", vhost));
            }
            string? rule = null;
            if (!string.IsNullOrEmpty(path))
            {
                rule = !string.IsNullOrEmpty(realm)
                    ? F(T("HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH"),
                        ("cleanedUpHostname", acl), ("hostname", vhost), ("appId", app.AppId), ("realm", realm), ("backend", backend))
                    : F(T("HTTPS_FRONTEND_ACL_WITH_PATH"), ("cleanedUpHostname", acl), ("hostname", vhost), ("appId", app.AppId), ("backend", backend));
            }
            else if (!string.IsNullOrEmpty(realm))
            {
                rule = F(T("HTTPS_FRONTEND_ACL_WITH_AUTH"),
                    ("cleanedUpHostname", acl), ("hostname", vhost), ("appId", app.AppId), ("realm", realm), ("backend", backend));
            }
            else if (haproxyMap)
            {
                if (draft.RaiseOnce("map_https_frontend_acl"))
                {
                    weight = -1;
                    rule = F(templates.ForMap(app, "HTTPS_FRONTEND_ACL"), ("hostname", vhost), ("haproxy_dir", haproxyDir));
                }
                draft.AddDomainMap(vhost, backend);
            }
            else
            {
                rule = F(T("HTTPS_FRONTEND_ACL"), ("cleanedUpHostname", acl), ("hostname", vhost), ("appId", app.AppId), ("backend", backend));
            }
            if (rule is not null)
            {
                https += rule;
                grouped.Entries.Add((weight, rule));
            }
        }
        if (app.RedirectHttpToHttps)
        {
            http += !string.IsNullOrEmpty(path)
                ? F(T("BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH"), ("bindAddr", app.BindAddr), ("cleanedUpHostname", acl), ("backend", backend))
                : F(T("BACKEND_REDIRECT_HTTP_TO_HTTPS"), ("bindAddr", app.BindAddr), ("cleanedUpHostname", acl));
        }
        else if (!string.IsNullOrEmpty(path))
        {
            http += !string.IsNullOrEmpty(realm)
                ? F(T("HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH"), ("cleanedUpHostname", acl), ("realm", realm), ("backend", backend))
                : F(T("HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH"), ("cleanedUpHostname", acl), ("backend", backend));
        }
        else if (!string.IsNullOrEmpty(realm))
        {
            http += F(T("HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH"), ("cleanedUpHostname", acl), ("realm", realm), ("backend", backend));
        }
        else if (!haproxyMap)
        {
            http += F(T("HTTP_FRONTEND_ROUTING_ONLY"), ("cleanedUpHostname", acl), ("backend", backend));
        }
        return (weight, http, https);
    }

    private (int, string, string) Single(string hostname)
    {
        var weight = app.BackendWeight;
        var http = "";
        var https = "";
        var acl = Acl(hostname);
        var realm = app.AuthRealm;
        var path = app.Path;
        var grouped = draft.GroupedFor(hostname);
        AddTls(grouped);
        void Https(string rule)
        {
            https += rule;
            grouped.Entries.Add((weight, rule));
        }
        if (!string.IsNullOrEmpty(path))
        {
            if (app.RedirectHttpToHttps)
            {
                http += F(T("HTTP_FRONTEND_ACL_ONLY"), ("cleanedUpHostname", acl), ("hostname", hostname));
                http += F(T("HTTP_FRONTEND_ACL_ONLY_WITH_PATH"),
                    ("cleanedUpHostname", acl), ("hostname", hostname), ("path", path), ("backend", backend));
                http += F(T("BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH"), ("bindAddr", app.BindAddr), ("cleanedUpHostname", acl), ("backend", backend));
            }
            else if (!string.IsNullOrEmpty(realm))
            {
                http += F(T("HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH"),
                    ("cleanedUpHostname", acl), ("hostname", hostname), ("path", path), ("appId", app.AppId), ("realm", realm), ("backend", backend));
            }
            else
            {
                http += F(T("HTTP_FRONTEND_ACL_WITH_PATH"),
                    ("cleanedUpHostname", acl), ("hostname", hostname), ("path", path), ("appId", app.AppId), ("backend", backend));
            }
            Https(F(T("HTTPS_FRONTEND_ACL_ONLY_WITH_PATH"), ("path", path), ("backend", backend)));
            Https(!string.IsNullOrEmpty(realm)
                ? F(T("HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH"),
                    ("cleanedUpHostname", acl), ("hostname", hostname), ("path", path), ("appId", app.AppId), ("realm", realm), ("backend", backend))
                : F(T("HTTPS_FRONTEND_ACL_WITH_PATH"), ("cleanedUpHostname", acl), ("hostname", hostname), ("appId", app.AppId), ("backend", backend)));
            return (weight, http, https);
        }
        if (app.RedirectHttpToHttps)
        {
            http += F(T("HTTP_FRONTEND_ACL"), ("cleanedUpHostname", acl), ("hostname", hostname), ("backend", backend));
            http += F(T("BACKEND_REDIRECT_HTTP_TO_HTTPS"), ("bindAddr", app.BindAddr), ("cleanedUpHostname", acl));
        }
        else if (!string.IsNullOrEmpty(realm))
        {
            http += F(T("HTTP_FRONTEND_ACL_WITH_AUTH"),
                ("cleanedUpHostname", acl), ("hostname", hostname), ("appId", app.AppId), ("realm", realm), ("backend", backend));
        }
        else if (haproxyMap)
        {
            if (draft.RaiseOnce("map_http_frontend_acl"))
            {
                weight = -1;
                http += F(templates.ForMap(app, "HTTP_FRONTEND_ACL"), ("haproxy_dir", haproxyDir));
            }
            draft.AddDomainMap(hostname, backend);
        }
        else
        {
            http += F(T("HTTP_FRONTEND_ACL"), ("cleanedUpHostname", acl), ("hostname", hostname), ("appId", app.AppId), ("backend", backend));
        }
        if (!string.IsNullOrEmpty(realm))
        {
            Https(F(T("HTTPS_FRONTEND_ACL_WITH_AUTH"),
                ("cleanedUpHostname", acl), ("hostname", hostname), ("appId", app.AppId), ("realm", realm), ("backend", backend)));
        }
        else if (haproxyMap)
        {
            if (draft.RaiseOnce("map_https_frontend_acl"))
            {
                weight = -1;
                Https(F(templates.ForMap(app, "HTTPS_FRONTEND_ACL"), ("hostname", hostname), ("haproxy_dir", haproxyDir)));
            }
            draft.AddDomainMap(hostname, backend);
        }
        else
        {
            Https(F(T("HTTPS_FRONTEND_ACL"), ("cleanedUpHostname", acl), ("hostname", hostname), ("appId", app.AppId), ("backend", backend)));
        }
        return (weight, http, https);
    }

    private void AddTls(GroupedVhost grouped)
    {
        if (app.SslCert is not null)
        {
            grouped.AddCert(app.SslCert);
        }
        if (app.BindOptions is not null)
        {
            grouped.AddBindOptions(app.BindOptions);
        }
    }
}
