using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.LoadBalancer.Tests;

/// <summary>
/// The marathon-lb golden cases (shared/lb-fixtures/marathon-lb, not in the repository): each case's args.json as
/// <see cref="LbOptions"/>, its inputs and expected outputs. Case names are listed here so the theories enumerate
/// without the data present (they then skip, or fail with CI=true).
/// </summary>
internal static class GoldenCases
{
    public const string Folder = "lb-fixtures/marathon-lb";

    public static TheoryData<string> WithApps() =>
    [
        "config/mlb01-backend_disabled_and_enablede", "config/mlb02-bridge_app_marathon15", "config/mlb03-config_env_template",
        "config/mlb04-config_haproxy_group_fallback", "config/mlb06-config_haproxy_group_per_service", "config/mlb07-config_haproxy_map",
        "config/mlb08-config_haproxy_map_auth_noauth", "config/mlb09-config_haproxy_map_hybrid",
        "config/mlb11-config_haproxy_map_hybrid_with_vhost_path", "config/mlb14-config_no_apps", "config/mlb16-config_simple_app_balance",
        "config/mlb17-config_simple_app_healthcheck_port", "config/mlb18-config_simple_app_healthcheck_port_diff_portindex_and_group",
        "config/mlb19-config_simple_app_healthcheck_port_portindex_out_of_range", "config/mlb21-config_simple_app_long_backend_proxypass",
        "config/mlb22-config_simple_app_multiple_vhost", "config/mlb23-config_simple_app_multiple_vhost_and_auth",
        "config/mlb24-config_simple_app_multiple_vhost_and_redirect", "config/mlb26-config_simple_app_multiple_vhost_with_path",
        "config/mlb27-config_simple_app_multiple_vhost_with_path_and_auth",
        "config/mlb28-config_simple_app_multiple_vhost_with_path_and_redirect", "config/mlb29-config_simple_app_proxypass",
        "config/mlb31-config_simple_app_redirect", "config/mlb32-config_simple_app_revproxy", "config/mlb33-config_simple_app_revproxy_health_check",
        "config/mlb34-config_simple_app_sticky", "config/mlb36-config_simple_app_vhost", "config/mlb37-config_simple_app_vhost_and_redirect",
        "config/mlb38-config_simple_app_vhost_with_auth", "config/mlb39-config_simple_app_vhost_with_path",
        "config/mlb41-config_simple_app_vhost_with_path_and_redirect", "config/mlb42-config_with_multissl_no_apps",
        "config/mlb43-config_with_ssl_no_apps", "config/mlb44-group_https_by_vhost", "config/mlb45b-strict_mode_flag_with_enabled_label",
        "config/mlb46-zdd_app", "config/mlb47-TestAdditionalOptions-config_simple_app", "config/mlb48-TestDuplicatedOptions-config_simple_app",
        "config-extra/x01-http-healthcheck-mode-label-tcp-wins", "config-extra/x02-mesos-http-healthcheck-stays-tcp",
        "config-extra/x03-group-app-two-ports-vhost", "config-extra/x04-docker-bridge-portmappings",
        "config-extra/x05-port-bindaddr-balance-sticky", "config-extra/x06-ip-per-task-networks-container",
        "config-extra/x07-httpi-marathonlb-example", "config-extra/x08-task-state-and-health-filtering",
        "config-extra/x09-group-filtering-star-and-per-port", "config-extra/x10-strict-mode",
        "config-extra/x11-vhost-path-redirect-hsts-auth-labels", "config-extra/x12-zdd-blue-green-merge",
    ];

    /// <summary>The cases that exist only as marathon-lb's service model (no apps.json).</summary>
    public static TheoryData<string> WithServicesOnly() =>
    [
        "config/mlb12-config_healthcheck_command", "config/mlb13-config_multi_app_multiple_vhost_with_path",
    ];

    /// <summary>The case folder, or a skip (a failure with CI=true) naming it and HARRIER_SHARED.</summary>
    public static string PathOf(string sub)
    {
        var root = SharedData.Folder(Folder, out var skip);
        if (root is null)
        {
            Assert.Skip(skip!);
        }
        return Path.Combine(root, sub);
    }

    public static string Read(string sub, string file) => File.ReadAllText(Path.Combine(PathOf(sub), file));

    public static string? ReadIfPresent(string sub, string file)
    {
        var path = Path.Combine(PathOf(sub), file);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>args.json as options: groups, bind_http_https, ssl_certs ("" = default), haproxy_map,
    /// group_https_by_vhost, config_file, health_check, strict_mode, env, dns.</summary>
    public static LbOptions Options(string sub)
    {
        var args = JsonNode.Parse(Read(sub, "args.json"))!.AsObject();
        var certs = args["ssl_certs"]?.GetValue<string>() ?? "";
        var dns = args["dns"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];
        return new LbOptions
        {
            Groups = [.. args["groups"]!.AsArray().Select(g => g!.GetValue<string>())],
            BindHttpHttps = args["bind_http_https"]!.GetValue<bool>(),
            SslCerts = certs.Length == 0 ? ["/etc/ssl/cert.pem"] : certs.Split(','),
            HaproxyMap = args["haproxy_map"]!.GetValue<bool>(),
            GroupHttpsByVhost = args["group_https_by_vhost"]!.GetValue<bool>(),
            ConfigFile = args["config_file"]!.GetValue<string>(),
            HealthCheck = args["health_check"]!.GetValue<bool>(),
            StrictMode = args["strict_mode"]!.GetValue<bool>(),
            Environment = args["env"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [],
            Resolve = host => dns.GetValueOrDefault(host),
        };
    }
}
