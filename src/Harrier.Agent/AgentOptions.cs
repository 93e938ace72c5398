using Harrier.Core.Networks;
using Harrier.Core.Resources;

namespace Harrier.Agent;

public sealed class AgentOptions
{
    /// <summary>Checkpoint (agent.json, tasks/), sandboxes/ and the fetch cache/ live here.</summary>
    public string WorkDir { get; set; } = ".harrier/agent";

    /// <summary>The name the agent advertises; null = the machine's host name.</summary>
    public string? Hostname { get; set; }

    /// <summary>Advertised cores; null = detected.</summary>
    public double? Cpus { get; set; }

    /// <summary>Advertised memory in MiB; null = MemTotal.</summary>
    public double? Mem { get; set; }

    /// <summary>Advertised disk in MiB; null = free space under <see cref="WorkDir"/>.</summary>
    public double? Disk { get; set; }

    /// <summary>Advertised GPUs (none are detected).</summary>
    public int Gpus { get; set; }

    public IReadOnlyList<PortRange> Ports { get; set; } = [new(31000, 32000)];

    public IReadOnlyDictionary<string, string> Attributes { get; set; } = new Dictionary<string, string>();

    public string Role { get; set; } = "*";

    /// <summary>The user tasks without <c>user</c> run as (<c>--default-user</c>); null = <c>nobody</c> when the agent
    /// is root, else the agent's own user (see <see cref="TaskUsers"/>).</summary>
    public string? DefaultUser { get; set; }

    /// <summary>"process" (default) or "fake" (runs nothing, for API benchmarks).</summary>
    public string Driver { get; set; } = "process";

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an unacknowledged status update waits before it is sent again; each further resend waits
    /// twice as long, up to <see cref="StatusUpdateRetryMax"/>.</summary>
    public TimeSpan StatusUpdateRetryInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest wait between two sends of an unacknowledged status update.</summary>
    public TimeSpan StatusUpdateRetryMax { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Parent cgroup of task cgroups (the process driver, as root).</summary>
    public string CgroupParent { get; set; } = "harrier";

    /// <summary>The OCI runtime for container tasks: "crun" (default) or "runc".</summary>
    public string OciRuntime { get; set; } = "crun";

    /// <summary>Registry mirrors for Docker Hub images (Docker's <c>registry-mirrors</c>); an http:// URL is used as is.</summary>
    public IReadOnlyList<string> RegistryMirrors { get; set; } = [];

    /// <summary>Where Docker Hub images come from after the mirrors: a registry URL, null for Docker Hub itself, or
    /// "none" for the mirrors only.</summary>
    public string? DockerHub { get; set; }

    /// <summary>Registries (HOST:PORT) spoken to over plain HTTP.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; set; } = [];

    /// <summary>A Docker <c>config.json</c> with registry credentials (<c>auths</c>).</summary>
    public string? DockerConfigPath { get; set; }

    /// <summary>Bytes of unpacked images the agent keeps before it removes the least recently used unused ones.</summary>
    public long ImageGcThresholdBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Longest wait between attempts to register again after the command stream failed.</summary>
    public TimeSpan MaxReconnectBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The subnet of Harrier's bridge for <c>container/bridge</c> tasks (the bridge takes its first address);
    /// null = no bridge networking.</summary>
    public Core.Networks.Ipv4Cidr? BridgeCidr { get; set; } = Core.Networks.Ipv4Cidr.Parse(DefaultBridgeCidr);

    /// <summary><c>--task-dns IP:PORT</c>: Harrier's DNS for tasks in their own network namespaces (through their
    /// gateway); null: they get the host's resolv.conf.</summary>
    public System.Net.IPEndPoint? TaskDns { get; set; }

    /// <summary>Mesos' <c>--isolation</c> list (accepted names: <see cref="MesosIsolation.Known"/>).</summary>
    public IReadOnlyList<string> Isolation { get; set; } = [];

    /// <summary>The port-mapping isolator's settings, used when <see cref="Isolation"/> names <c>network/port_mapping</c>.</summary>
    public PortMappingIsolatorOptions PortMapping { get; set; } = new();

    /// <summary>The directory of CNI network configurations (<c>*.conflist</c>, <c>*.conf</c>) loaded at start as named
    /// networks (<c>--cni-config-dir</c>); null = no CNI networks.</summary>
    public string? CniConfigDir { get; set; }

    /// <summary>Where CNI plugin executables are looked up, in order (<c>--cni-plugin-dir</c>).</summary>
    public IReadOnlyList<string> CniPluginDirs { get; set; } = DefaultCniPluginDirs;

    public static IReadOnlyList<string> DefaultCniPluginDirs { get; } = ["/usr/lib/cni", "/opt/cni/bin"];

    /// <summary>A private /24 as DC/OS's <c>mesos-bridge</c> used.</summary>
    public const string DefaultBridgeCidr = "172.31.254.0/24";
}
