using System.Globalization;
using Harrier.Core.Resources;

namespace Harrier.Agent;

/// <summary>
/// Mesos agent flag syntax. <c>--attributes 'rack:one;zone:a;ssd:true'</c> gives name → value (text as written;
/// Mesos' scalar, range and set values are kept as their text, which is what constraints compare).
/// <c>--resources 'cpus:4;mem:8192;disk:40000;gpus:0;ports:[31000-32000,33000-33100]'</c> gives the advertised resources;
/// a role suffix such as <c>cpus(slave_public):4</c> is accepted and ignored (the agent has one role, <c>--role</c>).
/// Errors are <see cref="FormatException"/>s naming the bad part.
/// </summary>
public static class MesosAgentFlags
{
    public static Dictionary<string, string> ParseAttributes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in Parts(text))
        {
            var (name, value) = Split(part, "attribute");
            if (!attributes.TryAdd(name, value))
            {
                throw new FormatException($"attribute '{name}' is given twice");
            }
        }
        return attributes;
    }

    public static AgentResourcesSpec ParseResources(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = new AgentResourcesSpec();
        foreach (var part in Parts(text))
        {
            var (rawName, value) = Split(part, "resource");
            var name = rawName.Split('(')[0];
            spec = name switch
            {
                "cpus" => spec with { Cpus = Scalar(name, value) },
                "mem" => spec with { Mem = Scalar(name, value) },
                "disk" => spec with { Disk = Scalar(name, value) },
                "gpus" => spec with { Gpus = (int)Scalar(name, value) },
                "ports" => spec with { Ports = Ranges(value) },
                "ephemeral_ports" => spec with { EphemeralPorts = Ranges(value) },
                _ => throw new FormatException($"resource '{name}' is not supported (cpus, mem, disk, gpus, ports, ephemeral_ports)"),
            };
        }
        return spec;
    }

    private static IEnumerable<string> Parts(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static (string Name, string Value) Split(string part, string what)
    {
        var colon = part.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == part.Length - 1)
        {
            throw new FormatException($"{what} '{part}' must be name:value");
        }
        return (part[..colon].Trim(), part[(colon + 1)..].Trim());
    }

    private static double Scalar(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d)
            ? d
            : throw new FormatException($"resource '{name}' must be a non-negative number, not '{value}'");

    private static List<PortRange> Ranges(string value)
    {
        if (!value.StartsWith('[') || !value.EndsWith(']'))
        {
            throw new FormatException($"ports must be ranges like [31000-32000], not '{value}'");
        }
        var ranges = new List<PortRange>();
        foreach (var range in value[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = range.Split('-');
            if (bounds.Length != 2 || !int.TryParse(bounds[0], CultureInfo.InvariantCulture, out var begin)
                || !int.TryParse(bounds[1], CultureInfo.InvariantCulture, out var end) || begin < 1 || end > 65535 || begin > end)
            {
                throw new FormatException($"port range '{range}' must be begin-end within 1-65535");
            }
            ranges.Add(new PortRange(begin, end));
        }
        return ranges;
    }
}
