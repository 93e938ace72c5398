namespace Harrier.Networking.Vips;

/// <summary>
/// One transaction's worth of VIP changes: the <c>nft -f</c> script (empty when nothing changes), the state it leads
/// to, and how many VIPs it adds, changes and removes.
/// </summary>
internal sealed record VipChange(
    string Script,
    VipTableState Next,
    int Added,
    int Changed,
    int Removed);
