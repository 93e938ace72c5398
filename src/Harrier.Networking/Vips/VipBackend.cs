using System.Globalization;
using System.Net;

namespace Harrier.Networking.Vips;

/// <summary>
/// One backend of a VIP: where new connections may go and how many of them, relative to the VIP's other backends.
/// Weight 0 (an unhealthy or killing task) takes no new connections; its established ones finish (conntrack keeps
/// them). A backend on this host is given by its task address and container port, not a host port: one connection
/// gets one DNAT, so a host-port mapping would not be applied after the VIP's.
/// </summary>
public sealed record VipBackend(IPAddress Address, int Port, int Weight = 1)
{
    public override string ToString() => $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)} (weight {Weight.ToString(CultureInfo.InvariantCulture)})";
}
