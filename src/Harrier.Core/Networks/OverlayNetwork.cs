using System.Diagnostics.CodeAnalysis;

namespace Harrier.Core.Networks;

/// <summary>
/// A virtual network spanning every agent (DC/OS's <c>dcos</c> overlay): each agent gets a slice of
/// <see cref="Cidr"/> (<see cref="SubnetPrefix"/> long) for its tasks, and the agents join their slices with VXLAN
/// (<see cref="Vni"/>). Apps join it with <c>networks: [{mode: container, name: NAME}]</c>.
/// </summary>
public sealed record OverlayNetwork(string Name, Ipv4Cidr Cidr, int SubnetPrefix, int Vni)
{
    public const string DefaultName = "dcos";

    /// <summary>The built-in overlay: a private /16 with a /24 per agent (DC/OS used 9.0.0.0/8, which is not private).</summary>
    public static OverlayNetwork Default { get; } = new(DefaultName, Ipv4Cidr.Parse("10.200.0.0/16"), 24, 1024);

    /// <summary>Parses <c>NAME=CIDR</c> (the <c>--overlay</c> flag); the per-agent slice is a /24, or 8 bits below the
    /// overlay's prefix when that is longer than /16. <paramref name="index"/> numbers the overlays (their VNIs).</summary>
    public static bool TryParse(string text, int index, [NotNullWhen(true)] out OverlayNetwork? overlay, [NotNullWhen(false)] out string? error)
    {
        overlay = null;
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var name = eq > 0 ? text[..eq] : "";
        if (!IsValidName(name))
        {
            error = $"'{text}' is not NAME=CIDR with a network name of letters, digits, '-' and '_' (at most 32)";
            return false;
        }
        if (!Ipv4Cidr.TryParse(text[(eq + 1)..], out var cidr, out error))
        {
            return false;
        }
        if (cidr.Prefix > 24)
        {
            error = $"the overlay {cidr} is too small: it needs at least a /24 to give agents slices";
            return false;
        }
        overlay = new OverlayNetwork(name, cidr, Math.Max(24, Math.Min(cidr.Prefix + 8, 28)), 1024 + index);
        return true;
    }

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 32 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
