using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Reads the parts of a Marathon app JSON zdd needs. The JSON comes from a file or from the server, so every read
/// tolerates a wrong shape: a missing or mistyped field reads as absent, and the callers decide whether that is an
/// error (with a message naming the app and the field) rather than an exception from deep inside.
/// </summary>
internal static class ZddAppJson
{
    public static string? Id(JsonObject app) => String(app["id"]);

    /// <summary>The app's <c>instances</c>; Marathon's default 1 when absent.</summary>
    public static int Instances(JsonObject app) => Int(app["instances"]) ?? 1;

    public static string? Label(JsonObject app, string name) =>
        app["labels"] is JsonObject labels ? String(labels[name]) : null;

    public static string? DeploymentGroup(JsonObject app) => Label(app, ZddLabels.DeploymentGroup);

    /// <summary>A label that must be a whole number when present; <paramref name="step"/> names the step for the error.</summary>
    public static int? IntLabel(JsonObject app, string name, string step)
    {
        var text = Label(app, name);
        if (text is null)
        {
            return null;
        }
        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ZddFailure(step, $"app {Id(app)}: label {name}='{Printable(text)}' is not a whole number");
    }

    /// <summary><c>HAPROXY_DEPLOYMENT_TARGET_INSTANCES</c>, else the app's instances (zdd.py's get_deployment_target).</summary>
    public static int DeploymentTarget(JsonObject app, string step) => IntLabel(app, ZddLabels.TargetInstances, step) ?? Instances(app);

    /// <summary><c>HAPROXY_DEPLOYMENT_NEW_INSTANCES</c>, else 0 (zdd.py's get_new_instance_count).</summary>
    public static int NewInstanceCount(JsonObject app, string step) => IntLabel(app, ZddLabels.NewInstances, step) ?? 0;

    public static IReadOnlyList<JsonObject> Tasks(JsonObject app) =>
        app["tasks"] is JsonArray tasks ? [.. tasks.OfType<JsonObject>()] : [];

    /// <summary>True while Marathon lists a deployment touching the app.</summary>
    public static bool DeploymentInProgress(JsonObject app) => app["deployments"] is JsonArray { Count: > 0 };

    /// <summary>
    /// marathon-lb's networking mode: <c>host</c>; <c>container</c> with <c>ipAddress</c> or docker network USER;
    /// <c>container/bridge</c> with docker network BRIDGE; the last <c>networks[].mode</c> wins.
    /// </summary>
    public static string NetworkingMode(JsonObject app)
    {
        var mode = app["ipAddress"] is JsonObject { Count: > 0 } ? "container" : "host";
        switch (String(app["container"]?["docker"]?["network"]))
        {
            case "USER":
                mode = "container";
                break;
            case "BRIDGE":
                mode = "container/bridge";
                break;
        }
        if (app["networks"] is JsonArray networks)
        {
            foreach (var network in networks.OfType<JsonObject>())
            {
                mode = String(network["mode"]) ?? "container";
            }
        }
        return mode;
    }

    /// <summary><c>container.docker.portMappings</c> when non-empty, else <c>container.portMappings</c>.</summary>
    public static JsonArray? PortMappings(JsonObject app)
    {
        if (app["container"] is not JsonObject container)
        {
            return null;
        }
        if (container["docker"]?["portMappings"] is JsonArray { Count: > 0 } docker)
        {
            return docker;
        }
        return container["portMappings"] as JsonArray;
    }

    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>An integral JSON number (or null); fractions, strings and out-of-range values read as absent.</summary>
    public static int? Int(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var i) ? i
        : node is JsonValue other && other.GetValueKind() == JsonValueKind.Number && other.TryGetValue<double>(out var d)
            && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d
        : null;

    /// <summary>Text safe to put in a one-line message: control characters shown as '?', at most 80 characters.</summary>
    public static string Printable(string text)
    {
        var chars = text.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray();
        return new string(chars) + (text.Length > 80 ? "…" : "");
    }

    /// <summary>Drops every null-valued property, recursively (zdd.py's cleanup_json).</summary>
    public static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }
                foreach (var (_, value) in obj)
                {
                    WithoutNulls(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    WithoutNulls(item);
                }
                break;
        }
        return node;
    }
}
