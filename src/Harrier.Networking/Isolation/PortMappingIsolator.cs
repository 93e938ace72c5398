using System.Globalization;
using System.Text.Json;

namespace Harrier.Networking.Isolation;

/// <summary>
/// The operating-system side of Mesos' <c>network/port_mapping</c> isolator: a container's namespace gets a veth whose
/// inner end carries the host's own address and MAC, traffic is steered between the host's public interface, its
/// loopback and the veth by port (<see cref="PortMappingFilters"/>), the container's ephemeral ports are its own block
/// (<c>ip_local_port_range</c>), and its egress is shaped by HTB when a rate is set. Every device, filter and rule is
/// made in <see cref="Host"/> or the container's namespace, never elsewhere.
/// </summary>
public sealed class PortMappingIsolator(HostNamespace host, PublicInterface eth0, long? egressBytesPerSecond)
{
    public HostNamespace Host { get; } = host;

    public PublicInterface Eth0 { get; } = eth0;

    public VethGuard Guard { get; } = new(host);

    private string Mtu => Eth0.Mtu.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Prepares the host once (idempotent): its loopback takes the public interface's MAC and MTU (packets redirected
    /// between lo and the veths must be addressed to the receiving device and fit it), accepts packets from the host's
    /// own address and 127/8 arriving from containers, and both devices get an ingress qdisc for the filters.
    /// </summary>
    public async Task EnsureHostAsync(CancellationToken cancellationToken)
    {
        await Host.IpAsync(["link", "set", "lo", "address", Eth0.Mac, "mtu", Mtu], cancellationToken: cancellationToken);
        await Host.SysctlAsync("net.ipv4.conf.lo.accept_local", "1");
        await Host.SysctlAsync("net.ipv4.conf.lo.route_localnet", "1");
        await EnsureIngressAsync(Eth0.Name, cancellationToken);
        await EnsureIngressAsync("lo", cancellationToken);
    }

    /// <summary>
    /// Joins namespace <paramref name="ns"/> to the host's address through <paramref name="veth"/>: the container's own
    /// ephemeral block and <paramref name="hostPorts"/> reach it, nothing else does. A retry after a crash starts over.
    /// </summary>
    public async Task AttachAsync(string ns, string veth, EphemeralPortRange range, IReadOnlyList<int> hostPorts, CancellationToken cancellationToken)
    {
        var blocks = Blocks(range, hostPorts);
        await RemoveHostFiltersAsync(range.Slot);
        if (await Host.LinkExistsAsync(veth))
        {
            await Host.TryIpAsync(["link", "del", veth], cancellationToken);
        }
        await Host.IpAsync(["-batch", "-"],
            $"link add {veth} mtu {Mtu} address {Eth0.Mac} type veth peer name eth0 mtu {Mtu} address {Eth0.Mac} netns {ns}\n", cancellationToken);
        // The veth's own filters and guard first, the host's last: a crash in between leaves nothing on eth0 or lo
        // that points at a device that is about to go, and nothing the container sends passes unsteered.
        await Guard.AddAsync(veth, cancellationToken);
        await Host.ExecAsync("tc", ["-batch", "-"], PortMappingFilters.Veth(Eth0, veth, blocks), cancellationToken);
        await Host.IpAsync(["link", "set", veth, "up"], cancellationToken: cancellationToken);
        var inside = $"link set lo address {Eth0.Mac} mtu {Mtu} up\nlink set eth0 up\naddr add {Eth0.Address}/{Eth0.Prefix.ToString(CultureInfo.InvariantCulture)} dev eth0\n"
            + (Eth0.Gateway is { } gateway ? $"route replace default via {gateway} dev eth0\n" : "");
        await HostCommand.RunAsync("ip", ["-n", ns, "-batch", "-"], inside, cancellationToken: cancellationToken);
        await HostCommand.RunAsync("ip", ["netns", "exec", ns, "sysctl", "-qw",
            $"net.ipv4.ip_local_port_range={range.Block.Begin.ToString(CultureInfo.InvariantCulture)} {range.Block.End.ToString(CultureInfo.InvariantCulture)}",
            "net.ipv4.conf.eth0.accept_local=1", "net.ipv4.conf.lo.accept_local=1", "net.ipv4.conf.lo.route_localnet=1",
            "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"], cancellationToken: cancellationToken);
        await HostCommand.TryRunAsync("tc", ["-n", ns, "qdisc", "del", "dev", "lo", "ingress"], cancellationToken: cancellationToken);
        await HostCommand.RunAsync("tc", ["-n", ns, "-batch", "-"], PortMappingFilters.Container(Eth0, blocks, egressBytesPerSecond), cancellationToken: cancellationToken);
        await Host.ExecAsync("tc", ["-batch", "-"], PortMappingFilters.Host(Eth0, veth, range.Slot, blocks), cancellationToken);
    }

    /// <summary>Removes the container's filters on the host's eth0 and lo, its veth and its guard chain. Idempotent.</summary>
    public async Task DetachAsync(string veth, int slot)
    {
        await RemoveHostFiltersAsync(slot);
        if (await Host.LinkExistsAsync(veth))
        {
            var (code, _, stderr) = await Host.TryIpAsync(["link", "del", veth]);
            if (code != 0 && await Host.LinkExistsAsync(veth))
            {
                throw new NetworkSetupException($"ip link del {veth}: {stderr.Trim()}");
            }
        }
        await Guard.RemoveAsync(veth);
    }

    /// <summary>Deletes the filters of <paramref name="slot"/> on the host's eth0 and lo (those present).</summary>
    public async Task RemoveHostFiltersAsync(int slot)
    {
        var script = new System.Text.StringBuilder();
        foreach (var (device, priorities) in await HostPrioritiesAsync())
        {
            foreach (var priority in priorities.Where(p => PortMappingFilters.SlotOf(p) == slot))
            {
                script.Append("filter del dev ").Append(device).Append(" parent ffff: prio ").Append(priority.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        if (script.Length > 0)
        {
            await Host.ExecAsync("tc", ["-batch", "-"], script.ToString());
        }
    }

    /// <summary>The slots that have filters on the host's eth0 or lo.</summary>
    public async Task<IReadOnlySet<int>> HostSlotsAsync() =>
        (await HostPrioritiesAsync()).SelectMany(d => d.Priorities).Select(PortMappingFilters.SlotOf).OfType<int>().ToHashSet();

    /// <summary>The filter priorities on the ingress of the host's eth0 and lo.</summary>
    public async Task<IReadOnlyList<(string Device, IReadOnlySet<int> Priorities)>> HostPrioritiesAsync()
    {
        var result = new List<(string, IReadOnlySet<int>)>();
        foreach (var device in new[] { Eth0.Name, "lo" })
        {
            var (code, stdout, _) = await Host.TryExecAsync("tc", ["-j", "filter", "show", "dev", device, "parent", "ffff:"]);
            var priorities = new HashSet<int>();
            if (code == 0 && stdout.Trim().Length > 0)
            {
                using var doc = JsonDocument.Parse(stdout);
                foreach (var filter in doc.RootElement.EnumerateArray())
                {
                    if (filter.TryGetProperty("pref", out var pref))
                    {
                        priorities.Add(pref.GetInt32());
                    }
                }
            }
            result.Add((device, priorities));
        }
        return result;
    }

    /// <summary>The container's ephemeral block and the blocks of its host ports (those not already in the block).</summary>
    public static IReadOnlyList<PortBlock> Blocks(EphemeralPortRange range, IReadOnlyList<int> hostPorts) =>
        [range.Block, .. PortBlock.Cover(hostPorts.Where(p => p < range.Block.Begin || p > range.Block.End))];

    private async Task EnsureIngressAsync(string device, CancellationToken cancellationToken)
    {
        var (code, _, stderr) = await Host.TryExecAsync("tc", ["qdisc", "add", "dev", device, "ingress"], cancellationToken: cancellationToken);
        if (code == 0)
        {
            return;
        }
        var shown = await Host.ExecAsync("tc", ["-j", "qdisc", "show", "dev", device], cancellationToken: cancellationToken);
        if (!shown.Contains("\"kind\":\"ingress\"", StringComparison.Ordinal) && !shown.Contains("\"kind\":\"clsact\"", StringComparison.Ordinal))
        {
            throw new NetworkSetupException($"tc qdisc add dev {device} ingress: {stderr.Trim()}");
        }
    }
}
