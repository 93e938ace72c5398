using System.Net;

namespace Harrier.Networking.Vips;

/// <summary>
/// What the VIP table holds (as last applied, or as read back from the kernel): each VIP with its effective backends
/// (<see cref="VipScript.Effective"/>: weight &gt; 0, merged, sorted; an empty list is a VIP that takes no new
/// connections), the VIP addresses masqueraded, and chains no VIP points at (left by an older layout; removed by the
/// next apply).
/// </summary>
internal sealed record VipTableState(
    bool TableExists,
    IReadOnlyDictionary<VipKey, IReadOnlyList<VipBackend>> Vips,
    IReadOnlySet<IPAddress> Addresses,
    IReadOnlyList<string> OrphanChains)
{
    public static VipTableState Missing { get; } = new(false, new Dictionary<VipKey, IReadOnlyList<VipBackend>>(), new HashSet<IPAddress>(), []);
}
