using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// The app's first service port, where Marathon keeps it: the first port mapping's <c>servicePort</c>
/// (<c>container.docker.portMappings</c>, then <c>container.portMappings</c>), else <c>portDefinitions[0].port</c>,
/// else the legacy <c>ports[0]</c> (zdd.py's get_service_port / set_service_port; zdd.py's portDefinitions branch
/// had a typo that crashed, here it reads the field).
/// </summary>
internal static class ZddServicePorts
{
    public static int? Get(JsonObject app)
    {
        if (ZddAppJson.PortMappings(app) is { Count: > 0 } mappings && ZddAppJson.Int(mappings[0]?["servicePort"]) is { } mapped and not 0)
        {
            return mapped;
        }
        if (app["portDefinitions"] is JsonArray { Count: > 0 } definitions && ZddAppJson.Int(definitions[0]?["port"]) is { } defined and not 0)
        {
            return defined;
        }
        if (app["ports"] is JsonArray { Count: > 0 } ports && ZddAppJson.Int(ports[0]) is { } port)
        {
            return port;
        }
        return null;
    }

    /// <summary>Sets the first service port in the first place that has one; false when the app has none.</summary>
    public static bool Set(JsonObject app, int port)
    {
        if (app["container"] is JsonObject container)
        {
            if (container["docker"]?["portMappings"] is JsonArray { Count: > 0 } docker && docker[0] is JsonObject dockerFirst)
            {
                dockerFirst["servicePort"] = port;
                return true;
            }
            if (container["portMappings"] is JsonArray { Count: > 0 } mappings && mappings[0] is JsonObject first)
            {
                first["servicePort"] = port;
                return true;
            }
        }
        if (app["portDefinitions"] is JsonArray { Count: > 0 } definitions && definitions[0] is JsonObject definition)
        {
            definition["port"] = port;
            return true;
        }
        if (app["ports"] is JsonArray { Count: > 0 } ports)
        {
            ports[0] = port;
            return true;
        }
        return false;
    }
}
