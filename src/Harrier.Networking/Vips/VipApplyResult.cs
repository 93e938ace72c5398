namespace Harrier.Networking.Vips;

/// <summary>
/// What one <see cref="VipTable.ApplyAsync"/> did: how many VIPs it added, changed and removed, and which desired VIPs
/// it refused (with why), each refused one left as it was before (absent when new).
/// </summary>
public sealed record VipApplyResult(int Added, int Changed, int Removed, IReadOnlyList<string> Rejected)
{
    public bool NothingChanged => Added == 0 && Changed == 0 && Removed == 0;
}
