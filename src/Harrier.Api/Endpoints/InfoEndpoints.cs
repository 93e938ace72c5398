using Harrier.Api.Http;
using Harrier.Api.Json.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Harrier.Api.Endpoints;

/// <summary><c>/v2/info</c>, <c>/v2/leader</c>, <c>/ping</c> (§15). With the embedded store this server is always leader.</summary>
internal static class InfoEndpoints
{
    public static string Version { get; } = typeof(InfoEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2/info", (HttpContext context, ApiServices api) =>
        {
            var o = api.Options;
            var snapshot = api.Orchestrator.Snapshot;
            var format = WireFormat.Of(context.Request);
            return JsonResponse.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("name", "marathon");
                w.WriteString("version", "1.11.0");
                w.WriteString("buildref", "harrier-" + Version);
                w.WriteBoolean("elected", true);
                w.WriteString("leader", o.Advertise);
                w.WriteString("frameworkId", "harrier");
                w.WriteStartObject("marathon_config");
                w.WriteNull("access_control_allow_origin");
                w.WriteBoolean("checkpoint", true);
                w.WriteNumber("decline_offer_duration", 120000);
                w.WriteNull("default_network_name");
                w.WriteNull("env_vars_prefix");
                w.WriteString("executor", "//cmd");
                w.WriteNumber("failover_timeout", 604800);
                w.WriteStartArray("features");
                w.WriteEndArray();
                w.WriteString("framework_name", "marathon");
                w.WriteBoolean("ha", false);
                w.WriteString("hostname", o.Hostname);
                w.WriteNumber("launch_token", 100);
                w.WriteNumber("launch_token_refresh_interval", 30000);
                w.WriteNumber("leader_proxy_connection_timeout_ms", 5000);
                w.WriteNumber("leader_proxy_read_timeout_ms", 10000);
                w.WriteNumber("local_port_max", o.ServicePorts.End);
                w.WriteNumber("local_port_min", o.ServicePorts.Begin);
                w.WriteString("master", "harrier://embedded");
                w.WriteNumber("max_instances_per_offer", 5);
                w.WriteString("mesos_bridge_name", "mesos-bridge");
                w.WriteNumber("mesos_heartbeat_failure_threshold", 5);
                w.WriteNumber("mesos_heartbeat_interval", 15000);
                w.WriteNull("mesos_leader_ui_url");
                w.WriteString("mesos_role", o.DefaultRole);
                w.WriteString("mesos_user", Environment.UserName);
                w.WriteString("new_group_enforce_role", "off");
                w.WriteNumber("min_revive_offers_interval", 5000);
                w.WriteNumber("offer_matching_timeout", 3000);
                w.WriteNumber("on_elected_prepare_timeout", 180000);
                w.WriteNumber("reconciliation_initial_delay", 15000);
                w.WriteNumber("reconciliation_interval", 600000);
                w.WriteNumber("scale_apps_initial_delay", 15000);
                w.WriteNumber("scale_apps_interval", 300000);
                w.WriteBoolean("store_cache", true);
                w.WriteNumber("task_launch_confirm_timeout", 300000);
                w.WriteNumber("task_launch_timeout", (long)o.TaskLaunchTimeout.TotalMilliseconds);
                w.WriteNumber("task_lost_expunge_initial_delay", 300000);
                w.WriteNumber("task_lost_expunge_interval", 30000);
                w.WriteNumber("task_reservation_timeout", 20000);
                w.WriteNull("webui_url");
                w.WriteBoolean("maintenance_mode", true);
                w.WriteEndObject();
                w.WriteStartObject("zookeeper_config");
                w.WriteString("zk", "embedded://sqlite");
                w.WriteBoolean("zk_compression", false);
                w.WriteNumber("zk_compression_threshold", 65536);
                w.WriteNumber("zk_connection_timeout", 10000);
                w.WriteNumber("zk_max_node_size", 1024000);
                w.WriteNumber("zk_max_versions", 50);
                w.WriteNumber("zk_session_timeout", 10000);
                w.WriteNumber("zk_timeout", 10000);
                w.WriteEndObject();
                w.WriteStartObject("http_config");
                w.WriteNumber("http_port", o.HttpPort);
                w.WriteNumber("https_port", 8443);
                w.WriteEndObject();
                if (format.Extensions)
                {
                    HarrierExtensions.WriteInfo(w, Version, snapshot);
                }
                w.WriteEndObject();
            });
        });
        routes.MapGet("/v2/leader", (HttpContext context, ApiServices api) => JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("leader", api.Options.Advertise);
            w.WriteEndObject();
        }));
        routes.MapGet("/ping", Ping);
    }

    /// <summary>text/plain "pong" unless JSON is preferred ("pong" as a JSON string); other Accepts get 204.</summary>
    private static async Task Ping(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (string.IsNullOrEmpty(accept) || accept.Contains("text/plain", StringComparison.Ordinal) || accept.Contains("*/*", StringComparison.Ordinal))
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("pong");
        }
        else if (accept.Contains("application/json", StringComparison.Ordinal))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("\"pong\"");
        }
        else if (accept.Contains("text/html", StringComparison.Ordinal))
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("pong");
        }
        else
        {
            context.Response.StatusCode = 204;
        }
    }
}
