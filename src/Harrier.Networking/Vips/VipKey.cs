using System.Globalization;
using System.Net;

namespace Harrier.Networking.Vips;

/// <summary>
/// What identifies a VIP in the kernel: an IPv4 address, a port and a protocol. Two VIPs may share an address on
/// different ports (or protocols). Only these three values ever reach nft, rendered from typed values, so nothing a
/// user writes (a VIP name, a label) can end up in a rule.
/// </summary>
public readonly record struct VipKey(IPAddress Address, int Port, VipProtocol Protocol)
{
    public string ProtocolName => Protocol == VipProtocol.Udp ? "udp" : "tcp";

    /// <summary>The VIP's own chain: <c>svc_tcp_10_1_1_1_5000</c> (derived, so a restart finds it again).</summary>
    public string ChainName =>
        "svc_" + ProtocolName + "_" + Address.ToString().Replace('.', '_') + "_" + Port.ToString(CultureInfo.InvariantCulture);

    public bool Equals(VipKey other) => Address.Equals(other.Address) && Port == other.Port && Protocol == other.Protocol;

    public override int GetHashCode() => HashCode.Combine(Address, Port, Protocol);

    public override string ToString() => $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}/{ProtocolName}";
}
