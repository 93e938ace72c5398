using System.Collections.Immutable;

namespace Harrier.Server.Discovery;

/// <summary>
/// One VIP: an address, port and protocol, what its label said (<see cref="Label"/>: <c>/httpi</c> for a named VIP,
/// the address for an IP VIP), its l4lb name for a named one, and its backends from every app that names it
/// (blue/green apps share one). A VIP is listed while an app declares it, with or without backends.
/// </summary>
public sealed record Vip(string Label, string? Name, string Address, int Port, string Protocol, ImmutableArray<VipBackend> Backends)
{
    /// <summary>The key VIPs are told apart by: address, port and protocol.</summary>
    public string Key => VipKey(Address, Port, Protocol);

    public static string VipKey(string address, int port, string protocol) => $"{address}:{port}/{protocol}";
}
