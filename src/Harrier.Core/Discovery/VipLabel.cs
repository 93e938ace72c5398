using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Harrier.Core.Discovery;

/// <summary>
/// A layer-4 VIP a port claims with a label such as <c>VIP_0: "/httpi:3141"</c> or <c>VIP_0: "10.1.1.1:5000"</c>
/// (dcos-net's rule: the value splits at the LAST ':', so IPv6 addresses work; the left side is an address when it
/// parses as one, otherwise a name kept exactly as written, slash included).
/// </summary>
/// <param name="Host">The left side as written: a name (<c>/httpi</c>) or the address text.</param>
/// <param name="Address">The address of an IP VIP; null for a named VIP.</param>
/// <param name="Port">The VIP's port, 1..65535.</param>
public sealed record VipLabel(string Host, IPAddress? Address, int Port)
{
    public bool IsNamed => Address is null;

    /// <summary>Whether a label key claims a VIP: dcos-net reads any key starting with <c>VIP</c> or <c>vip</c>
    /// (Marathon's <c>VIP_&lt;n&gt;</c>; the suffix is not interpreted).</summary>
    public static bool IsVipKey(string key) =>
        key.StartsWith("VIP", StringComparison.Ordinal) || key.StartsWith("vip", StringComparison.Ordinal);

    /// <summary>The protocols a port's protocol text stands for: <c>tcp</c>, <c>udp</c>, or both for <c>tcp,udp</c>.</summary>
    public static IReadOnlyList<string> Protocols(string? protocol) =>
        [.. (protocol ?? "tcp").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.ToLowerInvariant()).Distinct()];

    public static bool TryParse(string? value, [NotNullWhen(true)] out VipLabel? label, [NotNullWhen(false)] out string? error)
    {
        label = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "VIP label value must not be empty; expected <name-or-ip>:<port> (like /myapp:80 or 10.1.2.3:5000)";
            return false;
        }
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            error = $"'{value}' is not a VIP; expected <name-or-ip>:<port> (like /myapp:80 or 10.1.2.3:5000)";
            return false;
        }
        var portText = value[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            error = $"VIP port '{portText}' in '{value}' is not a number";
            return false;
        }
        if (port is < 1 or > 65535)
        {
            error = $"VIP port {port} in '{value}' is out of range (1..65535)";
            return false;
        }
        var host = value[..colon];
        if (TryAddress(host, out var address, out var addressError))
        {
            label = new VipLabel(host, address, port);
            error = null;
            return true;
        }
        if (addressError is not null)
        {
            error = addressError;
            return false;
        }
        if (host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            error = $"VIP name '{host}' in '{value}' must not contain white space";
            return false;
        }
        label = new VipLabel(host, null, port);
        error = null;
        return true;
    }

    /// <summary>The key named VIPs and address VIPs are compared by: the address in canonical form, or the name.</summary>
    public string Identity => Address?.ToString() ?? Host;

    public override string ToString() => Address is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } a
        ? $"[{a}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    // A left side that looks like an address (only digits and dots, or hex and colons) but does not parse is a bad
    // address rather than a name: "10.1.1.300:80" must be refused, not become a VIP named "10.1.1.300".
    private static bool TryAddress(string host, out IPAddress? address, out string? error)
    {
        address = null;
        error = null;
        var text = host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        var ipv4Like = text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c == '.') && text.Contains('.');
        var ipv6Like = text.Contains(':');
        if (!ipv4Like && !ipv6Like)
        {
            return false;
        }
        if (IPAddress.TryParse(text, out var parsed) && (ipv6Like || text.Count(c => c == '.') == 3))
        {
            address = parsed;
            return true;
        }
        error = $"VIP address '{host}' is not a valid IPv4 or IPv6 address";
        return false;
    }
}
