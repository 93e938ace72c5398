using System.Globalization;
using Harrier.Core.Resources;

namespace Harrier.Host;

/// <summary>Flags of <c>harrier sim</c>.</summary>
internal sealed record SimOptions
{
    public Uri Server { get; init; } = new("http://127.0.0.1:8080/");
    public int Agents { get; init; } = 100;
    public double Cpus { get; init; } = 8;
    public double Mem { get; init; } = 32768;
    public double Disk { get; init; } = 100_000;
    public IReadOnlyList<PortRange> Ports { get; init; } = [new(31000, 32000)];
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
    public string? WorkDir { get; init; }
    public string HostnamePrefix { get; init; } = "sim-";
    public bool Help { get; init; }

    public static SimOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SimOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag is "-h" or "--help")
            {
                return o with { Help = true };
            }
            var value = i + 1 < args.Count ? args[++i] : throw new FormatException($"{flag} needs a value");
            o = flag switch
            {
                "--server" => o with { Server = new Uri(value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value) },
                "--agents" => o with { Agents = int.Parse(value, CultureInfo.InvariantCulture) is > 0 and var n ? n : throw new FormatException("--agents must be positive") },
                "--cpus" => o with { Cpus = double.Parse(value, CultureInfo.InvariantCulture) },
                "--mem" => o with { Mem = double.Parse(value, CultureInfo.InvariantCulture) },
                "--disk" => o with { Disk = double.Parse(value, CultureInfo.InvariantCulture) },
                "--ports" => o with { Ports = [.. value.Split(',').Select(DevOptions.Range)] },
                "--attributes" => o with { Attributes = value.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split(':', 2)).ToDictionary(p => p[0], p => p.Length == 2 ? p[1] : throw new FormatException($"attribute '{p[0]}' needs name:value")) },
                "--work-dir" => o with { WorkDir = value },
                "--hostname-prefix" => o with { HostnamePrefix = value },
                _ => throw new ArgumentException($"unknown flag {flag}"),
            };
        }
        return o;
    }
}
