using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Harrier.Core.Networks;

/// <summary>An IPv4 network in CIDR form (<c>172.31.254.0/24</c>), normalized to its network address.</summary>
public readonly record struct Ipv4Cidr
{
    private Ipv4Cidr(uint network, int prefix)
    {
        Network = network;
        Prefix = prefix;
    }

    /// <summary>The network address as a host-order integer.</summary>
    public uint Network { get; }

    public int Prefix { get; }

    public uint Mask => Prefix == 0 ? 0 : uint.MaxValue << (32 - Prefix);

    /// <summary>How many addresses the network spans (2^(32-prefix)).</summary>
    public long Size => 1L << (32 - Prefix);

    /// <summary>The first usable address (.1 of a /24), the gateway of a bridge.</summary>
    public IPAddress Gateway => ToAddress(Network + 1);

    public static Ipv4Cidr Parse(string text) =>
        TryParse(text, out var cidr, out var error) ? cidr : throw new FormatException(error);

    public static bool TryParse(string? text, out Ipv4Cidr cidr, [NotNullWhen(false)] out string? error)
    {
        cidr = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
            || prefix is < 8 or > 30)
        {
            error = $"'{text}' is not an IPv4 CIDR with a prefix from /8 to /30 (like 172.31.254.0/24)";
            return false;
        }
        var value = ToUInt(address);
        var mask = uint.MaxValue << (32 - prefix);
        cidr = new Ipv4Cidr(value & mask, prefix);
        error = null;
        return true;
    }

    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && (ToUInt(address) & Mask) == Network;

    public bool Overlaps(Ipv4Cidr other)
    {
        var mask = Prefix < other.Prefix ? Mask : other.Mask;
        return (Network & mask) == (other.Network & mask);
    }

    /// <summary>The address at <paramref name="offset"/> from the network address.</summary>
    public IPAddress At(long offset) =>
        offset >= 0 && offset < Size ? ToAddress(Network + (uint)offset) : throw new ArgumentOutOfRangeException(nameof(offset));

    /// <summary>The <paramref name="index"/>-th subnet of length <paramref name="prefix"/> inside this network.</summary>
    public Ipv4Cidr Subnet(int prefix, long index)
    {
        if (prefix < Prefix || prefix > 30 || index < 0 || index >= 1L << (prefix - Prefix))
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
        return new Ipv4Cidr(Network + (uint)(index << (32 - prefix)), prefix);
    }

    /// <summary>How many subnets of length <paramref name="prefix"/> fit (0 when the prefix is shorter than this one's).</summary>
    public long SubnetCount(int prefix) => prefix < Prefix ? 0 : 1L << (prefix - Prefix);

    public override string ToString() => ToAddress(Network) + "/" + Prefix.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static uint ToUInt(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress ToAddress(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
