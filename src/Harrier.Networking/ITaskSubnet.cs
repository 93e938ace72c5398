using System.Net;
using Harrier.Core.Networks;

namespace Harrier.Networking;

/// <summary>
/// A subnet of task addresses on one host, each task joined to it by a veth pair whose host end stays in the host's
/// namespace: Harrier's <c>container/bridge</c> network (<see cref="BridgeNetwork"/>) and each overlay's local slice
/// (<see cref="RoutedNetwork"/>). The subnet's first address is the tasks' gateway.
/// </summary>
public interface ITaskSubnet
{
    HostNamespace Host { get; }

    Ipv4Cidr Subnet { get; }

    /// <summary>The MTU of the tasks' veths (an overlay's is set once its underlay is known).</summary>
    int Mtu { get; set; }

    IpAllocator Addresses { get; }

    /// <summary>Makes (or adopts) what the host needs before a task joins. Idempotent.</summary>
    Task EnsureAsync(CancellationToken cancellationToken);

    /// <summary>Joins namespace <paramref name="ns"/> as <paramref name="ifname"/> with an address for
    /// <paramref name="owner"/>; with <paramref name="defaultRoute"/> the gateway becomes its default route, else only
    /// <paramref name="extraRoutes"/> lead through it.</summary>
    Task<IPAddress> AttachAsync(string owner, string ns, string ifname, string hostVeth, bool defaultRoute, IReadOnlyList<Ipv4Cidr> extraRoutes, CancellationToken cancellationToken);

    /// <summary>Removes the host end of the veth (the other end and its routes go with it) and frees the owner's
    /// address. Idempotent.</summary>
    Task DetachAsync(string owner, string hostVeth);
}
