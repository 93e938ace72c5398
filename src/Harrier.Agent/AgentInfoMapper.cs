using System.Net;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Resources;
using Harrier.Linux;

namespace Harrier.Agent;

/// <summary>What the agent advertises: the configured values, or the machine's own where none are configured.</summary>
internal static class AgentInfoMapper
{
    public static AgentInfo Describe(AgentOptions options, AgentId id, string workDir, IReadOnlyCollection<string> drivers, IEnumerable<string>? networks = null) => new()
    {
        Id = id,
        Hostname = options.Hostname ?? Dns.GetHostName(),
        Resources = new ResourceVector(
            options.Cpus ?? MachineResources.Cpus(),
            options.Mem ?? MachineResources.MemoryMiB(),
            options.Disk ?? MachineResources.DiskFreeMiB(workDir),
            options.Gpus),
        Ports = new ValueList<PortRange>(options.Ports),
        Attributes = new ValueMap<string>(options.Attributes),
        Role = options.Role,
        Networks = new ValueList<string>([.. networks ?? []]),
        Capabilities = drivers.Contains("oci") || drivers.Contains("fake") ? new[] { AgentCapabilities.ContainerImages } : ValueList<string>.Empty,
    };
}
