using System.Text;

namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// What one service adds to the config, kept apart until the whole service rendered: a service that fails halfway
/// (a bad template override, a health-check port index out of range) leaves no trace. Reads the flags and map entries
/// committed by earlier services, as marathon-lb's one-pass loop did.
/// </summary>
internal sealed class ServiceDraft(
    HashSet<string> committedFlags, HashSet<(string Key, string Backend)> committedDomainMap, HashSet<(string Key, string Backend)> committedAppMap)
{
    public StringBuilder Userlist { get; } = new();

    public StringBuilder Frontend { get; } = new();

    public StringBuilder Backend { get; } = new();

    public StringBuilder AppIdRules { get; } = new();

    public (int Weight, string Http, string Https)? VhostRules { get; set; }

    public Dictionary<string, GroupedVhost> Grouped { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

    public List<(string Key, string Backend)> DomainMap { get; } = [];

    public List<(string Key, string Backend)> AppMap { get; } = [];

    public List<RenderedServer> Servers { get; } = [];

    public string? AppIdRegistered { get; set; }

    /// <summary>True the first time <paramref name="flag"/> is raised in this config (marathon-lb's <c>duplicate_map</c>).</summary>
    public bool RaiseOnce(string flag) => !committedFlags.Contains(flag) && Flags.Add(flag);

    public void AddDomainMap(string key, string backend) => AddUnique(DomainMap, committedDomainMap, key, backend);

    public void AddAppMap(string key, string backend) => AddUnique(AppMap, committedAppMap, key, backend);

    public GroupedVhost GroupedFor(string vhost)
    {
        if (!Grouped.TryGetValue(vhost, out var entry))
        {
            Grouped[vhost] = entry = new GroupedVhost();
        }
        return entry;
    }

    private static void AddUnique(List<(string, string)> pending, HashSet<(string, string)> committed, string key, string backend)
    {
        if (!pending.Contains((key, backend)) && !committed.Contains((key, backend)))
        {
            pending.Add((key, backend));
        }
    }
}
