namespace Harrier.Agent;

/// <summary>
/// Mesos' <c>--isolation</c> list. Harrier's agent always isolates tasks the way most of Mesos' isolators did (cgroups
/// for cpu and memory, a root filesystem and pid namespace for containers, volumes), so those names are accepted as
/// what it does anyway; <see cref="PortMapping"/> is the one that changes behaviour. Unknown names are refused.
/// </summary>
public static class MesosIsolation
{
    public const string PortMapping = "network/port_mapping";

    /// <summary>The isolators the agent implies (Mesos' names), and the port-mapping isolator.</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        "posix/cpu", "posix/mem", "cgroups/cpu", "cgroups/mem", "cgroups/pids", "cgroups/all", "filesystem/posix", "filesystem/linux",
        "docker/runtime", "docker/volume", "namespaces/pid", "volume/host_path", "volume/sandbox_path", "network/cni", PortMapping,
    ];

    /// <summary>Parses "a,b,c"; throws <see cref="FormatException"/> naming an unknown isolator and the accepted ones.</summary>
    public static IReadOnlyList<string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new FormatException("expected isolator names separated by commas, like cgroups/cpu,cgroups/mem,network/port_mapping");
        }
        foreach (var name in names)
        {
            if (!Known.Contains(name))
            {
                throw new FormatException($"unknown isolator '{name}' (this agent knows {string.Join(", ", Known)})");
            }
        }
        return [.. names.Distinct()];
    }
}
