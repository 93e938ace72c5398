using Harrier.Core.Networks;
using System.Net;

namespace Harrier.Networking;

/// <summary>
/// A Linux bridge with a subnet whose first address is the bridge's own (the tasks' gateway), and task namespaces joined
/// to it by veth pairs with an address each from the subnet's <see cref="IpAllocator"/>. Harrier's
/// <c>container/bridge</c> network is one (an overlay's local slice is a <see cref="RoutedNetwork"/>). Routes for the
/// subnet lead into the bridge and nowhere else.
/// </summary>
public sealed class BridgeNetwork(HostNamespace host, string device, Ipv4Cidr subnet, int mtu, IpAllocator addresses) : ITaskSubnet
{
    public HostNamespace Host { get; } = host;

    public string Device { get; } = device;

    public Ipv4Cidr Subnet { get; } = subnet;

    /// <summary>The MTU of the bridge and the tasks' veths (an overlay's is set once its underlay is known).</summary>
    public int Mtu { get; set; } = mtu;

    public IpAllocator Addresses { get; } = addresses;

    /// <summary>Creates the bridge (or adopts the one a previous agent process made), with its address, up, and with
    /// forwarding and local-net routing on (so 127.0.0.1:hostPort can be mapped to a task).</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (!await Host.LinkExistsAsync(Device))
        {
            await Host.IpAsync(["link", "add", Device, "type", "bridge"], cancellationToken: cancellationToken);
        }
        var mtu = Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Host.IpAsync(["-batch", "-"],
            $"addr replace {Subnet.Gateway}/{Subnet.Prefix} dev {Device}\nlink set {Device} mtu {mtu} up\n", cancellationToken);
        await Host.SysctlAsync("net.ipv4.ip_forward", "1");
        await Host.SysctlAsync($"net.ipv4.conf.{Device}.route_localnet", "1");
    }

    /// <summary>Joins namespace <paramref name="ns"/> to the bridge as <paramref name="ifname"/> with an address for
    /// <paramref name="owner"/>; with <paramref name="defaultRoute"/> the bridge becomes its default gateway, else only
    /// <paramref name="extraRoutes"/> lead through it.</summary>
    public async Task<IPAddress> AttachAsync(
        string owner, string ns, string ifname, string hostVeth, bool defaultRoute, IReadOnlyList<Ipv4Cidr> extraRoutes, CancellationToken cancellationToken)
    {
        var address = Addresses.Allocate(owner);
        var mtu = Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await HostVeth.ClearAsync(Host, hostVeth, cancellationToken); // a retry after a crash mid-setup starts over
        await Host.IpAsync(["-batch", "-"],
            $"link add {hostVeth} mtu {mtu} type veth peer name {ifname} mtu {mtu} netns {ns}\nlink set {hostVeth} master {Device} up\n",
            cancellationToken);
        var inside = new System.Text.StringBuilder();
        inside.Append("addr add ").Append(address).Append('/').Append(Subnet.Prefix).Append(" dev ").Append(ifname).Append('\n');
        inside.Append("link set ").Append(ifname).Append(" up\n");
        HostVeth.AppendRoutes(inside, Subnet.Gateway, ifname, defaultRoute, extraRoutes);
        await HostCommand.RunAsync("ip", ["-n", ns, "-batch", "-"], stdin: inside.ToString(), cancellationToken: cancellationToken);
        return address;
    }

    /// <summary>Removes the host end of the veth (the other end goes with it) and frees the owner's address. Idempotent.</summary>
    public async Task DetachAsync(string owner, string hostVeth)
    {
        await HostVeth.DeleteAsync(Host, hostVeth);
        Addresses.Release(owner);
    }
}
