namespace Harrier.Networking.Vips;

/// <summary>The transport protocol of a VIP (a tcp+udp port is two VIPs, as in dcos-net).</summary>
public enum VipProtocol
{
    Tcp,
    Udp,
}
