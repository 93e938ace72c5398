using System.Text;
using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// The HAProxy server name marathon-lb gives a task's first port: <c>&lt;host&gt;_&lt;ip&gt;_&lt;port&gt;</c>, or
/// <c>&lt;ip&gt;_&lt;port&gt;</c> when the host is the address, every character outside <c>[a-zA-Z0-9-]</c> turned
/// into <c>_</c>. Address and port are found as marathon-lb finds them (utils.py get_task_ip_and_ports): the task's
/// first IP for IP-per-task apps, else the agent host resolved to IPv4; the task's ports, else the app's port
/// definitions or container ports. (zdd.py only replaced dots and always used the task's host ports, which misnamed
/// IP-per-task servers; this matches the names the balancer actually renders.)
/// </summary>
internal static class ZddServerNames
{
    /// <summary>The task's server name, or null when it has no address or port yet (it cannot be a server).</summary>
    public static string? For(JsonObject app, JsonObject task, Func<string, string?> resolve)
    {
        var host = ZddAppJson.String(task["host"]);
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }
        var mode = ZddAppJson.NetworkingMode(app);
        var ip = mode == "container"
            ? (task["ipAddresses"] is JsonArray { Count: > 0 } addresses ? ZddAppJson.String(addresses[0]?["ipAddress"]) : null)
            : resolve(host);
        var port = FirstPort(app, task, mode);
        if (string.IsNullOrEmpty(ip) || port is null)
        {
            return null;
        }
        return Clean(host == ip ? $"{ip}_{port}" : $"{host}_{ip}_{port}");
    }

    private static int? FirstPort(JsonObject app, JsonObject task, string mode)
    {
        if (mode != "container" && task["ports"] is JsonArray { Count: > 0 } ports)
        {
            return ZddAppJson.Int(ports[0]);
        }
        if (mode != "container" && app["portDefinitions"] is JsonArray definitions && definitions.OfType<JsonObject>().Select(d => ZddAppJson.Int(d["port"])).FirstOrDefault(p => p is not null) is { } defined)
        {
            return defined;
        }
        if (mode == "host")
        {
            return null;
        }
        if (mode == "container" && app["ipAddress"]?["discovery"]?["ports"] is JsonArray discovery
            && discovery.OfType<JsonObject>().Select(p => ZddAppJson.Int(p["number"])).FirstOrDefault(p => p is not null) is { } number)
        {
            return number;
        }
        return ZddAppJson.PortMappings(app) is { } mappings
            ? mappings.OfType<JsonObject>().Select(m => ZddAppJson.Int(m["containerPort"])).FirstOrDefault(p => p is not null)
            : null;
    }

    private static string Clean(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_');
        }
        return builder.ToString();
    }
}
