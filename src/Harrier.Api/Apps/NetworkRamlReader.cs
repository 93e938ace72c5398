using System.Text.Json;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>Reads <c>networks</c>, <c>portDefinitions</c>, the deprecated <c>ports</c> and <c>ipAddress</c> (<c>network.raml</c>).</summary>
internal static class NetworkRamlReader
{
    private static readonly string[] NetworkModes = ["container", "container/bridge", "host"];
    private static readonly string[] Protocols = ["tcp", "udp", "udp,tcp"];

    public static string ReadProtocol(JsonElement v, string p, RamlReader r) => r.Enum(v, "protocol", p, Protocols) ?? "tcp";

    public static List<NetworkSpec>? ReadNetworks(JsonElement o, RamlReader r)
    {
        var items = r.Array(o, "networks", "/");
        if (items is null)
        {
            return null;
        }
        var result = new List<NetworkSpec>();
        foreach (var (v, p) in items)
        {
            if (!r.RequireObject(v, p))
            {
                continue;
            }
            var mode = r.Enum(v, "mode", p, NetworkModes) switch
            {
                "host" => NetworkMode.Host,
                "container/bridge" => NetworkMode.ContainerBridge,
                _ => NetworkMode.Container,
            };
            var name = r.String(v, "name", p, minLength: 1, maxLength: 63, pattern: RamlPatterns.NetworkName());
            var labels = r.StringMap(v, "labels", p) ?? [];
            result.Add(new NetworkSpec(mode, name, new(labels)));
        }
        return result;
    }

    public static List<PortDefinition>? ReadPortDefinitions(JsonElement o, RamlReader r)
    {
        var items = r.Array(o, "portDefinitions", "/");
        if (items is null)
        {
            return null;
        }
        var result = new List<PortDefinition>();
        foreach (var (v, p) in items)
        {
            if (!r.RequireObject(v, p))
            {
                continue;
            }
            result.Add(new PortDefinition(
                r.Int(v, "port", p, min: 0, max: 65535) ?? 0,
                r.String(v, "name", p, minLength: 1, pattern: RamlPatterns.LegacyName()),
                r.Enum(v, "protocol", p, Protocols) ?? "tcp",
                new(r.StringMap(v, "labels", p) ?? [])));
        }
        return result;
    }

    public static List<int>? ReadPorts(JsonElement o, RamlReader r)
    {
        var items = r.Array(o, "ports", "/");
        if (items is null)
        {
            return null;
        }
        var result = new List<int>();
        foreach (var (v, p) in items)
        {
            if (r.IntegerValue(v, p, 0, 65535, int.MinValue, int.MaxValue, "error.expected.int") is { } n)
            {
                result.Add((int)n);
            }
        }
        return result;
    }

    public static IpAddressRaml? ReadIpAddress(JsonElement o, RamlReader r)
    {
        const string P = "/ipAddress";
        if (!RamlReader.TryGet(o, "ipAddress", out var v) || !r.RequireObject(v, P))
        {
            return null;
        }
        List<PortMapping>? ports = null;
        if (RamlReader.TryGet(v, "discovery", out var d) && r.RequireObject(d, P + "/discovery"))
        {
            ports = [];
            foreach (var (pv, pp) in r.Array(d, "ports", P + "/discovery") ?? [])
            {
                if (!r.RequireObject(pv, pp))
                {
                    continue;
                }
                ports.Add(new PortMapping(
                    ContainerPort: r.Int(pv, "number", pp, 0, 65535) ?? 0,
                    Protocol: ReadProtocol(pv, pp, r),
                    Name: r.String(pv, "name", pp, required: true, minLength: 1, pattern: RamlPatterns.LegacyName()),
                    Labels: new(r.StringMap(pv, "labels", pp) ?? [])));
            }
        }
        r.StringArray(v, "groups", P);
        return new IpAddressRaml(ports, r.StringMap(v, "labels", P) ?? [], r.String(v, "networkName", P, minLength: 1));
    }
}
