using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Harrier.Networking.Cni;

/// <summary>
/// Reads and checks one CNI network configuration: a list (<c>{"name","cniVersion","plugins":[…]}</c>) or a single
/// plugin (<c>{"name","cniVersion","type",…}</c>, made into a list of one as libcni does). The name must be a safe
/// network name, the version one Harrier speaks (0.3.x, 0.4.0, 1.0.0), and every plugin <c>type</c> (and an
/// <c>ipam.type</c>) a plain file name that exists in the plugin directories — never a path. Throws
/// <see cref="FormatException"/> naming the problem.
/// </summary>
public static partial class CniConfigParser
{
    public const string PortMappingsCapability = "portMappings";

    /// <summary>Larger configuration files are refused unread.</summary>
    public const int MaxBytes = 1 << 20;

    public const int MaxPlugins = 32;

    public static IReadOnlySet<string> SupportedVersions { get; } = new HashSet<string>(StringComparer.Ordinal) { "0.3.0", "0.3.1", "0.4.0", "1.0.0" };

    /// <summary>The CNI spec's rule for network names, bounded to 63 characters.</summary>
    public static bool IsNetworkName(string? name) => name is not null && NetworkName().IsMatch(name);

    /// <summary>A plugin type: a plain file name, no directory part, not <c>.</c> or <c>..</c>.</summary>
    public static bool IsPluginType(string? type) => type is not null && PluginType().IsMatch(type);

    /// <summary>The executable of <paramref name="type"/> in the first of <paramref name="pluginDirs"/> that has one, or null.</summary>
    public static string? Resolve(string type, IReadOnlyList<string> pluginDirs)
    {
        if (!IsPluginType(type))
        {
            return null;
        }
        foreach (var dir in pluginDirs)
        {
            var path = Path.Combine(dir, type);
            if (File.Exists(path) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return path;
            }
        }
        return null;
    }

    public static CniNetworkConfig Parse(string text, string source, bool isList, IReadOnlyList<string> pluginDirs)
    {
        if (text.Length > MaxBytes)
        {
            throw new FormatException($"larger than {MaxBytes} bytes");
        }
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new FormatException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException("not valid JSON: " + e.Message, e);
        }
        var name = String(root, "name");
        if (!IsNetworkName(name))
        {
            throw new FormatException($"\"name\" must be 1 to 63 letters, digits, '_', '.' and '-', starting with a letter or digit (got {Quote(name)})");
        }
        var version = String(root, "cniVersion");
        if (version is null || !SupportedVersions.Contains(version))
        {
            throw new FormatException($"network {name}: \"cniVersion\" must be one of {string.Join(", ", SupportedVersions)} (got {Quote(version)})");
        }
        JsonArray pluginNodes;
        if (isList)
        {
            pluginNodes = root["plugins"] as JsonArray ?? throw new FormatException($"network {name}: \"plugins\" must be a list");
            if (pluginNodes.Count is 0 or > MaxPlugins)
            {
                throw new FormatException($"network {name}: \"plugins\" must hold 1 to {MaxPlugins} plugins");
            }
        }
        else
        {
            pluginNodes = [root.DeepClone()];
        }
        var plugins = new List<CniPluginConfig>(pluginNodes.Count);
        for (var i = 0; i < pluginNodes.Count; i++)
        {
            plugins.Add(Plugin(name!, i, pluginNodes[i], pluginDirs));
        }
        var list = isList ? root : new JsonObject { ["cniVersion"] = version, ["name"] = name, ["plugins"] = pluginNodes.DeepClone() };
        return new CniNetworkConfig(name!, version, plugins, source, list.ToJsonString());
    }

    private static CniPluginConfig Plugin(string network, int index, JsonNode? node, IReadOnlyList<string> pluginDirs)
    {
        var where = $"network {network}: plugin {index}";
        if (node is not JsonObject plugin)
        {
            throw new FormatException($"{where} is not a JSON object");
        }
        var type = String(plugin, "type");
        if (!IsPluginType(type))
        {
            throw new FormatException($"{where}: \"type\" must be a plain file name (got {Quote(type)})");
        }
        var path = Resolve(type!, pluginDirs)
            ?? throw new FormatException($"{where}: no executable '{type}' in {string.Join(":", pluginDirs)}");
        if (plugin["ipam"] is JsonObject ipam && ipam["type"] is not null)
        {
            var ipamType = String(ipam, "type");
            if (!IsPluginType(ipamType) || Resolve(ipamType!, pluginDirs) is null)
            {
                throw new FormatException($"{where}: \"ipam.type\" must name an executable in {string.Join(":", pluginDirs)} (got {Quote(ipamType)})");
            }
        }
        var capabilities = new HashSet<string>(StringComparer.Ordinal);
        if (plugin["capabilities"] is { } caps)
        {
            if (caps is not JsonObject capObject)
            {
                throw new FormatException($"{where}: \"capabilities\" must be an object of booleans");
            }
            foreach (var (key, value) in capObject)
            {
                if (value is JsonValue v && v.TryGetValue<bool>(out var on))
                {
                    if (on)
                    {
                        capabilities.Add(key);
                    }
                }
                else
                {
                    throw new FormatException($"{where}: capability \"{key}\" must be true or false");
                }
            }
        }
        return new CniPluginConfig(type!, path, capabilities, plugin.ToJsonString());
    }

    private static string? String(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Quote(string? s) => s is null ? "nothing" : "\"" + (s.Length > 64 ? s[..64] + "…" : s) + "\"";

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$")]
    private static partial Regex NetworkName();

    [GeneratedRegex("^(?!\\.\\.?$)[a-zA-Z0-9_.-]{1,128}$")]
    private static partial Regex PluginType();
}
