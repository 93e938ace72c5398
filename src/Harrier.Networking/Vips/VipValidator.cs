using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Harrier.Networking.Vips;

/// <summary>
/// Checks a desired VIP before anything of it reaches the kernel: IPv4 addresses that can be a destination (not
/// 0.0.0.0/8, multicast, broadcast or 127.0.0.1, the host's own loopback), ports 1–65535, weights 0–<see cref="MaxWeight"/>,
/// at most <see cref="MaxBackends"/> backends. IPv4 only: the table is <c>ip harrier_vip</c>.
/// </summary>
internal static class VipValidator
{
    public const int MaxWeight = 10_000;

    public const int MaxBackends = 4_096;

    /// <summary>Why the VIP cannot be applied, or null when it can.</summary>
    public static string? Validate(VipService service)
    {
        var key = service.Key;
        var what = service.Name is { Length: > 0 } name ? $"VIP '{Printable(name)}' ({key})" : $"VIP {key}";
        if (AddressProblem(key.Address) is { } bad)
        {
            return $"{what}: address {bad}";
        }
        if (key.Address.Equals(IPAddress.Loopback))
        {
            return $"{what}: 127.0.0.1 is the host's own loopback address";
        }
        if (key.Port is < 1 or > 65535)
        {
            return $"{what}: port {key.Port.ToString(CultureInfo.InvariantCulture)} is not in 1-65535";
        }
        if (key.Protocol is not (VipProtocol.Tcp or VipProtocol.Udp))
        {
            return $"{what}: unknown protocol";
        }
        if (service.Backends.Count > MaxBackends)
        {
            return $"{what}: {service.Backends.Count.ToString(CultureInfo.InvariantCulture)} backends, at most {MaxBackends.ToString(CultureInfo.InvariantCulture)}";
        }
        foreach (var backend in service.Backends)
        {
            if (backend is null)
            {
                return $"{what}: a backend is missing";
            }
            if (AddressProblem(backend.Address) is { } badBackend)
            {
                return $"{what}: backend address {badBackend}";
            }
            if (backend.Port is < 1 or > 65535)
            {
                return $"{what}: backend port {backend.Port.ToString(CultureInfo.InvariantCulture)} is not in 1-65535";
            }
            if (backend.Weight is < 0 or > MaxWeight)
            {
                return $"{what}: backend weight {backend.Weight.ToString(CultureInfo.InvariantCulture)} is not in 0-{MaxWeight.ToString(CultureInfo.InvariantCulture)}";
            }
        }
        return null;
    }

    private static string? AddressProblem(IPAddress? address)
    {
        if (address is null)
        {
            return "is missing";
        }
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return $"{address} is not IPv4";
        }
        var first = address.GetAddressBytes()[0];
        if (first == 0 || first >= 224)
        {
            return $"{address} is not a unicast destination";
        }
        return null;
    }

    /// <summary>A name as it may appear in a message: printable ASCII, bounded.</summary>
    private static string Printable(string name)
    {
        var kept = new string([.. name.Take(100).Select(c => c is >= ' ' and < (char)127 ? c : '?')]);
        return name.Length > 100 ? kept + "…" : kept;
    }
}
