using System.Net;
using System.Text;
using Harrier.Core.Networks;

namespace Harrier.Networking;

/// <summary>
/// A task's veth as <see cref="BridgeNetwork"/> and <see cref="RoutedNetwork"/> both handle it: its host end, and the
/// routes its namespace takes through the gateway.
/// </summary>
internal static class HostVeth
{
    /// <summary>Before a setup: a link left by a setup a crash cut short is deleted, so the setup starts over.</summary>
    public static async Task ClearAsync(HostNamespace host, string hostVeth, CancellationToken cancellationToken)
    {
        if (await host.LinkExistsAsync(hostVeth))
        {
            await host.TryIpAsync(["link", "del", hostVeth], cancellationToken);
        }
    }

    /// <summary>Deletes the link (the task's end, and every route and address on either end, go with it); gone
    /// already is fine, a link that stays is an error.</summary>
    public static async Task DeleteAsync(HostNamespace host, string hostVeth)
    {
        if (await host.LinkExistsAsync(hostVeth))
        {
            var (code, _, stderr) = await host.TryIpAsync(["link", "del", hostVeth]);
            if (code != 0 && await host.LinkExistsAsync(hostVeth))
            {
                throw new NetworkSetupException($"ip link del {hostVeth}: {stderr.Trim()}");
            }
        }
    }

    /// <summary>Appends the task's routes through <paramref name="gateway"/> to an <c>ip -batch</c> script for its
    /// namespace: the default route when <paramref name="defaultRoute"/>, and each of <paramref name="extraRoutes"/>.</summary>
    public static void AppendRoutes(StringBuilder inside, IPAddress gateway, string ifname, bool defaultRoute, IReadOnlyList<Ipv4Cidr> extraRoutes)
    {
        if (defaultRoute)
        {
            inside.Append("route replace default via ").Append(gateway).Append(" dev ").Append(ifname).Append('\n');
        }
        foreach (var route in extraRoutes)
        {
            inside.Append("route replace ").Append(route).Append(" via ").Append(gateway).Append(" dev ").Append(ifname).Append('\n');
        }
    }
}
