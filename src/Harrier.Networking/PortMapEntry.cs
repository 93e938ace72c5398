using System.Net;

namespace Harrier.Networking;

/// <summary>One mapped port: connections to any of the host's addresses on <see cref="HostPort"/> go to
/// <see cref="Address"/>:<see cref="ContainerPort"/>.</summary>
public sealed record PortMapEntry(string Protocol, int HostPort, IPAddress Address, int ContainerPort)
{
    public string Element =>
        $"{HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture)} : {Address} . {ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
