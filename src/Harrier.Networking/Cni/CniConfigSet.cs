namespace Harrier.Networking.Cni;

/// <summary>The CNI networks loaded from a configuration directory, and one message per file that was skipped.</summary>
public sealed record CniConfigSet(IReadOnlyList<CniNetworkConfig> Networks, IReadOnlyList<string> Errors)
{
    public static CniConfigSet Empty { get; } = new([], []);

    public IEnumerable<string> Names => Networks.Select(n => n.Name);

    public CniNetworkConfig? Find(string? name) => name is null ? null : Networks.FirstOrDefault(n => n.Name == name);
}
