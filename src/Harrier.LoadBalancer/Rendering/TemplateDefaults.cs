namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// marathon-lb's default templates (config.py), text exact: the golden configs compare byte for byte. HEAD carries a
/// marker where the sorted <c>option</c> lines of <c>HAPROXY_GLOBAL_DEFAULT_OPTIONS</c> go (see <see cref="Templates"/>).
/// </summary>
internal static class TemplateDefaults
{
    public const string DefaultOptionsMarker = "@DEFAULT_OPTIONS@";

    public const string DefaultGlobalOptions = "redispatch,http-server-close,dontlognull";

    public const string Head =
            "global\n"
            + "  log /dev/log local0\n"
            + "  log /dev/log local1 notice\n"
            + "  spread-checks 5\n"
            + "  max-spread-checks 15000\n"
            + "  maxconn 50000\n"
            + "  tune.ssl.default-dh-param 2048\n"
            + "  ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:!aNULL:!MD5:!DSS\n"
            + "  ssl-default-bind-options no-sslv3 no-tlsv10 no-tls-tickets\n"
            + "  ssl-default-server-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:!aNULL:!MD5:!DSS\n"
            + "  ssl-default-server-options no-sslv3 no-tlsv10 no-tls-tickets\n"
            + "  stats socket /var/run/haproxy/socket expose-fd listeners\n"
            + "  server-state-file global\n"
            + "  server-state-base /var/state/haproxy/\n"
            + "  lua-load /marathon-lb/getpids.lua\n"
            + "  lua-load /marathon-lb/getconfig.lua\n"
            + "  lua-load /marathon-lb/getmaps.lua\n"
            + "  lua-load /marathon-lb/signalmlb.lua\n"
            + "defaults\n"
            + "  load-server-state-from-file global\n"
            + "  log               global\n"
            + "  retries                   3\n"
            + "  backlog               10000\n"
            + "  maxconn               10000\n"
            + "  timeout connect          3s\n"
            + "  timeout client          30s\n"
            + "  timeout server          30s\n"
            + "  timeout tunnel        3600s\n"
            + "  timeout http-keep-alive  1s\n"
            + "  timeout http-request    15s\n"
            + "  timeout queue           30s\n"
            + "  timeout tarpit          60s\n"
            + "@DEFAULT_OPTIONS@listen stats\n"
            + "  bind 0.0.0.0:9090\n"
            + "  balance\n"
            + "  mode http\n"
            + "  stats enable\n"
            + "  http-request use-service prometheus-exporter if { path /metrics }\n"
            + "  monitor-uri /_haproxy_health_check\n"
            + "  acl getpid path /_haproxy_getpids\n"
            + "  http-request use-service lua.getpids if getpid\n"
            + "  acl getvhostmap path /_haproxy_getvhostmap\n"
            + "  http-request use-service lua.getvhostmap if getvhostmap\n"
            + "  acl getappmap path /_haproxy_getappmap\n"
            + "  http-request use-service lua.getappmap if getappmap\n"
            + "  acl getconfig path /_haproxy_getconfig\n"
            + "  http-request use-service lua.getconfig if getconfig\n"
            + "\n"
            + "  acl signalmlbhup path /_mlb_signal/hup\n"
            + "  http-request use-service lua.signalmlbhup if signalmlbhup\n"
            + "  acl signalmlbusr1 path /_mlb_signal/usr1\n"
            + "  http-request use-service lua.signalmlbusr1 if signalmlbusr1\n";

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["USERLIST_HEAD"] =
            "\n"
            + "userlist user_{backend}\n"
            + "  user {user} password {passwd}\n",
        ["HTTP_FRONTEND_HEAD"] =
            "\n"
            + "frontend marathon_http_in\n"
            + "  bind *:80\n"
            + "  mode http\n",
        ["HTTP_FRONTEND_APPID_HEAD"] =
            "\n"
            + "frontend marathon_http_appid_in\n"
            + "  bind *:9091\n"
            + "  mode http\n",
        ["HTTPS_FRONTEND_HEAD"] =
            "\n"
            + "frontend marathon_https_in\n"
            + "  bind *:443 ssl {sslCerts}\n"
            + "  mode http\n",
        ["HTTPS_GROUPED_FRONTEND_HEAD"] =
            "\n"
            + "frontend marathon_https_in\n"
            + "  bind *:443\n"
            + "  mode tcp\n"
            + "  tcp-request inspect-delay 5s\n"
            + "  tcp-request content accept if { req_ssl_hello_type 1 }\n",
        ["HTTPS_GROUPED_VHOST_FRONTEND_HEAD"] =
            "\n"
            + "frontend {name}\n"
            + "  mode http\n"
            + "  bind abns@{name} accept-proxy ssl {sslCerts}{bindOpts}\n",
        ["HTTPS_GROUPED_VHOST_BACKEND_HEAD"] =
            "\n"
            + "backend {name}\n"
            + "  server loopback-for-tls abns@{name} send-proxy-v2\n",
        ["HTTPS_GROUPED_VHOST_FRONTEND_ACL"] =
            "  use_backend {backend} if {{ req_ssl_sni -i {host} }}\n",
        ["FRONTEND_HEAD"] =
            "\n"
            + "frontend {backend}\n"
            + "  bind {bindAddr}:{servicePort}{sslCert}{bindOptions}\n"
            + "  mode {mode}\n",
        ["BACKEND_HEAD"] =
            "\n"
            + "backend {backend}\n"
            + "  balance {balance}\n"
            + "  mode {mode}\n",
        ["BACKEND_REDIRECT_HTTP_TO_HTTPS"] =
            "  redirect scheme https code 301 if !{{ ssl_fc }} host_{cleanedUpHostname}\n",
        ["BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH"] =
            "  redirect scheme https code 301 if !{{ ssl_fc }} host_{cleanedUpHostname} path_{backend}\n",
        ["BACKEND_HSTS_OPTIONS"] =
            "  rspadd  Strict-Transport-Security:\\ max-age=15768000\n",
        ["HTTP_FRONTEND_ACL"] =
            "  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n"
            + "  use_backend {backend} if host_{cleanedUpHostname}\n",
        ["MAP_HTTP_FRONTEND_ACL"] =
            "  use_backend %[req.hdr(host),lower,regsub(:.*$,,),map({haproxy_dir}/domain2backend.map)]\n",
        ["HTTP_FRONTEND_ACL_WITH_AUTH"] =
            "  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n"
            + "  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n"
            + "  http-request auth realm \"{realm}\" if host_{cleanedUpHostname} !auth_{cleanedUpHostname}\n"
            + "  use_backend {backend} if host_{cleanedUpHostname}\n",
        ["HTTP_FRONTEND_ACL_ONLY"] =
            "  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n",
        ["MAP_HTTP_FRONTEND_ACL_ONLY"] =
            "  use_backend %[req.hdr(host),lower,regsub(:.*$,,),map({haproxy_dir}/domain2backend.map)]\n",
        ["HTTP_FRONTEND_ROUTING_ONLY"] =
            "  use_backend {backend} if host_{cleanedUpHostname}\n",
        ["HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH"] =
            "  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n"
            + "  http-request auth realm \"{realm}\" if host_{cleanedUpHostname} !auth_{cleanedUpHostname}\n"
            + "  use_backend {backend} if host_{cleanedUpHostname}\n",
        ["HTTP_FRONTEND_ACL_WITH_PATH"] =
            "  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n"
            + "  acl path_{backend} path_beg {path}\n"
            + "  use_backend {backend} if host_{cleanedUpHostname} path_{backend}\n",
        ["HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH"] =
            "  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n"
            + "  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n"
            + "  acl path_{backend} path_beg {path}\n"
            + "  http-request auth realm \"{realm}\" if host_{cleanedUpHostname} path_{backend} !auth_{cleanedUpHostname}\n"
            + "  use_backend {backend} if host_{cleanedUpHostname} path_{backend}\n",
        ["HTTP_FRONTEND_ACL_ONLY_WITH_PATH"] =
            "  acl path_{backend} path_beg {path}\n",
        ["HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH"] =
            "  acl path_{backend} path_beg {path}\n"
            + "  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n",
        ["HTTPS_FRONTEND_ACL_ONLY_WITH_PATH"] =
            "  acl path_{backend} path_beg {path}\n",
        ["HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH"] =
            "  use_backend {backend} if host_{cleanedUpHostname} path_{backend}\n",
        ["HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH"] =
            "  http-request auth realm \"{realm}\" if host_{cleanedUpHostname} path_{backend} !auth_{cleanedUpHostname}\n"
            + "  use_backend {backend} if host_{cleanedUpHostname} path_{backend}\n",
        ["HTTPS_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH"] =
            "  http-request auth realm \"{realm}\" if host_{cleanedUpHostname} path_{backend} !auth_{cleanedUpHostname}\n"
            + "  use_backend {backend} if host_{cleanedUpHostname} path_{backend}\n",
        ["HTTP_FRONTEND_APPID_ACL"] =
            "  acl app_{cleanedUpAppId} hdr(x-marathon-app-id) -i {appId}\n"
            + "  use_backend {backend} if app_{cleanedUpAppId}\n",
        ["MAP_HTTP_FRONTEND_APPID_ACL"] =
            "  use_backend %[req.hdr(x-marathon-app-id),lower,map({haproxy_dir}/app2backend.map)]\n",
        ["HTTPS_FRONTEND_ACL"] =
            "  use_backend {backend} if {{ ssl_fc_sni {hostname} }}\n",
        ["MAP_HTTPS_FRONTEND_ACL"] =
            "  use_backend %[ssl_fc_sni,lower,map({haproxy_dir}/domain2backend.map)]\n",
        ["HTTPS_FRONTEND_ACL_WITH_AUTH"] =
            "  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n"
            + "  http-request auth realm \"{realm}\" if {{ ssl_fc_sni {hostname} }} !auth_{cleanedUpHostname}\n"
            + "  use_backend {backend} if {{ ssl_fc_sni {hostname} }}\n",
        ["HTTPS_FRONTEND_AUTH_ACL_ONLY"] =
            "  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n",
        ["HTTPS_FRONTEND_AUTH_REQUEST_ONLY"] =
            "  http-request auth realm \"{realm}\" if {{ ssl_fc_sni {hostname} }} !auth_{cleanedUpHostname}\n",
        ["HTTPS_FRONTEND_ACL_WITH_PATH"] =
            "  use_backend {backend} if {{ ssl_fc_sni {hostname} }} path_{backend}\n",
        ["HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH"] =
            "  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n"
            + "  http-request auth realm \"{realm}\" if {{ ssl_fc_sni {hostname} }} path_{backend} !auth_{cleanedUpHostname}\n"
            + "  use_backend {backend} if {{ ssl_fc_sni {hostname} }} path_{backend}\n",
        ["BACKEND_HTTP_OPTIONS"] =
            "  option forwardfor\n"
            + "  http-request set-header X-Forwarded-Port %[dst_port]\n"
            + "  http-request add-header X-Forwarded-Proto https if { ssl_fc }\n",
        ["HTTP_BACKEND_PROXYPASS_GLUE"] =
            "  http-request set-header Host {hostname}\n"
            + "  reqirep  \"^([^ :]*)\\ {proxypath}/?(.*)\" \"\\1\\ /\\2\"\n",
        ["HTTP_BACKEND_REVPROXY_GLUE"] =
            "  acl hdr_location res.hdr(Location) -m found\n"
            + "  rspirep \"^Location: (https?://{hostname}(:[0-9]+)?)?(/.*)\" \"Location:   {rootpath}\" if hdr_location\n",
        ["HTTP_BACKEND_REDIR"] =
            "  acl is_root path -i /\n"
            + "  acl is_domain hdr(host) -i {hostname}\n"
            + "  redirect code 301 location {redirpath} if is_domain is_root\n",
        ["BACKEND_HTTP_HEALTHCHECK_OPTIONS"] =
            "  option  httpchk GET {healthCheckPath}\n"
            + "  timeout check {healthCheckTimeoutSeconds}s\n",
        ["BACKEND_TCP_HEALTHCHECK_OPTIONS"] =
            "",
        ["BACKEND_STICKY_OPTIONS"] =
            "  cookie mesosphere_server_id insert indirect nocache\n",
        ["BACKEND_SERVER_OPTIONS"] =
            "  server {serverName} {host_ipv4}:{port} id {serverId}{cookieOptions}{healthCheckOptions}{otherOptions}\n",
        ["BACKEND_SERVER_HTTP_HEALTHCHECK_OPTIONS"] =
            "  check inter {healthCheckIntervalSeconds}s fall {healthCheckFalls}{healthCheckPortOptions}\n",
        ["BACKEND_SERVER_TCP_HEALTHCHECK_OPTIONS"] =
            "  check inter {healthCheckIntervalSeconds}s fall {healthCheckFalls}{healthCheckPortOptions}\n",
        ["FRONTEND_BACKEND_GLUE"] =
            "  use_backend {backend}\n",
        ["HTTP_BACKEND_NETWORK_ALLOWED_ACL"] =
            "  acl network_allowed src {network_allowed}\n",
        ["HTTP_BACKEND_ACL_ALLOW_DENY"] =
            "  http-request allow if network_allowed\n"
            + "  http-request deny\n",
        ["TCP_BACKEND_NETWORK_ALLOWED_ACL"] =
            "  acl network_allowed src {network_allowed}\n",
        ["TCP_BACKEND_ACL_ALLOW_DENY"] =
            "  tcp-request content accept if network_allowed\n"
            + "  tcp-request content reject\n",
    };
}
