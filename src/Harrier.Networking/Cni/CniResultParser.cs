using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.Networking.Cni;

/// <summary>
/// Reads a plugin's result (spec 0.3.x, 0.4.0, 1.0.0). Plugin output is not trusted: anything that is not a JSON
/// object of the result's shape, or holds more than a bounded number of entries, is a <see cref="FormatException"/>.
/// </summary>
public static class CniResultParser
{
    public const int MaxEntries = 64;

    public static CniResult Parse(string text)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) as JsonObject
                ?? throw new FormatException("the result is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException("the result is not valid JSON: " + e.Message, e);
        }
        var version = root["cniVersion"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (version is null || !CniConfigParser.SupportedVersions.Contains(version))
        {
            throw new FormatException($"the result's cniVersion is not one of {string.Join(", ", CniConfigParser.SupportedVersions)}");
        }
        var interfaces = new List<CniInterface>();
        foreach (var node in Array(root, "interfaces"))
        {
            if (node is not JsonObject o || Text(o, "name") is not { Length: > 0 } name)
            {
                throw new FormatException("an interface of the result has no name");
            }
            interfaces.Add(new CniInterface(name, Text(o, "mac"), Text(o, "sandbox")));
        }
        var ips = new List<CniIpConfig>();
        foreach (var node in Array(root, "ips"))
        {
            ips.Add(Ip(node, interfaces.Count));
        }
        return new CniResult(version, interfaces, ips, root.ToJsonString());
    }

    private static CniIpConfig Ip(JsonNode? node, int interfaces)
    {
        if (node is not JsonObject o || Text(o, "address") is not { } cidr)
        {
            throw new FormatException("an address of the result has no \"address\"");
        }
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)
            || !int.TryParse(cidr.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
            || prefix > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
        {
            throw new FormatException($"the result's address \"{Short(cidr)}\" is not ADDRESS/PREFIX");
        }
        if (Text(o, "version") is { } ipVersion && ipVersion is not ("4" or "6"))
        {
            throw new FormatException($"the result's address version \"{Short(ipVersion)}\" is not 4 or 6");
        }
        IPAddress? gateway = null;
        if (Text(o, "gateway") is { } gw && !IPAddress.TryParse(gw, out gateway))
        {
            throw new FormatException($"the result's gateway \"{Short(gw)}\" is not an address");
        }
        int? index = null;
        if (o["interface"] is { } i)
        {
            if (i is not JsonValue iv || !iv.TryGetValue<int>(out var n) || n < 0 || n >= interfaces)
            {
                throw new FormatException("an address of the result names an interface the result does not list");
            }
            index = n;
        }
        return new CniIpConfig(address, prefix, gateway, index);
    }

    private static JsonArray Array(JsonObject root, string key)
    {
        switch (root[key])
        {
            case null:
                return [];
            case JsonArray a when a.Count <= MaxEntries:
                return a;
            case JsonArray:
                throw new FormatException($"the result lists more than {MaxEntries} {key}");
            default:
                throw new FormatException($"the result's \"{key}\" is not a list");
        }
    }

    private static string? Text(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Short(string s) => s.Length > 64 ? s[..64] + "…" : s;
}
