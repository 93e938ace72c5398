using System.Globalization;
using System.Net;
using System.Text;
using Harrier.Core.Networks;

namespace Harrier.Networking;

/// <summary>
/// A subnet whose tasks are reached by routes, with no bridge (as Calico and CNI's ptp plugin do it): each task's
/// address is a /32 inside its namespace with the gateway on-link as its route out, and the host end of its veth holds
/// the gateway address (so it answers the task's ARP) and a /32 route to the task. A packet between the task and the
/// host, another task or the overlay's VXLAN device crosses one veth and one routing decision, without the bridge's
/// forwarding and bridge-netfilter hooks. Addresses of the subnet that no task holds have no route here (the overlay's
/// <c>unreachable</c> route covers them), so nothing of the subnet leaks to the default route.
/// </summary>
public sealed class RoutedNetwork(HostNamespace host, Ipv4Cidr subnet, int mtu, IpAllocator addresses) : ITaskSubnet
{
    public HostNamespace Host { get; } = host;

    public Ipv4Cidr Subnet { get; } = subnet;

    public int Mtu { get; set; } = mtu;

    public IpAllocator Addresses { get; } = addresses;

    public Task EnsureAsync(CancellationToken cancellationToken) => Host.SysctlAsync("net.ipv4.ip_forward", "1");

    public async Task<IPAddress> AttachAsync(
        string owner, string ns, string ifname, string hostVeth, bool defaultRoute, IReadOnlyList<Ipv4Cidr> extraRoutes, CancellationToken cancellationToken)
    {
        var address = Addresses.Allocate(owner);
        var mtu = Mtu.ToString(CultureInfo.InvariantCulture);
        var gateway = Subnet.Gateway;
        await HostVeth.ClearAsync(Host, hostVeth, cancellationToken); // a retry after a crash mid-setup starts over
        // The gateway is the veth's address: the host answers the task's ARP for it, and it is the source of what the host
        // masquerades to the task (127.0.0.1:hostPort).
        await Host.IpAsync(["-batch", "-"],
            $"link add {hostVeth} mtu {mtu} type veth peer name {ifname} mtu {mtu} netns {ns}\n" +
            $"addr add {gateway}/32 dev {hostVeth}\n" +
            $"link set {hostVeth} up\n" +
            $"route replace {address}/32 dev {hostVeth} scope link\n",
            cancellationToken);
        // 127.0.0.1:hostPort mapped to the task leaves through this veth with a loopback source.
        await Host.SysctlAsync($"net.ipv4.conf.{hostVeth}.route_localnet", "1");
        var inside = new StringBuilder();
        inside.Append("addr add ").Append(address).Append("/32 dev ").Append(ifname).Append('\n');
        inside.Append("link set ").Append(ifname).Append(" up\n");
        inside.Append("route replace ").Append(gateway).Append(" dev ").Append(ifname).Append(" scope link\n");
        HostVeth.AppendRoutes(inside, gateway, ifname, defaultRoute, extraRoutes);
        await HostCommand.RunAsync("ip", ["-n", ns, "-batch", "-"], stdin: inside.ToString(), cancellationToken: cancellationToken);
        return address;
    }

    public async Task DetachAsync(string owner, string hostVeth)
    {
        await HostVeth.DeleteAsync(Host, hostVeth);
        Addresses.Release(owner);
    }
}
