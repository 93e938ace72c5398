namespace Harrier.Networking.Cni;

/// <summary>
/// What a CNI plugin chain reported for an ADD (spec 0.3.x, 0.4.0 and 1.0.0 share this shape: <c>interfaces</c>,
/// <c>ips</c>, <c>routes</c>, <c>dns</c>), with the result as the plugin wrote it — the next plugin's
/// <c>prevResult</c> and the cached result a DEL gets.
/// </summary>
public sealed record CniResult(string CniVersion, IReadOnlyList<CniInterface> Interfaces, IReadOnlyList<CniIpConfig> Ips, string Json)
{
    /// <summary>The container's addresses: those on an interface inside the sandbox, or on no interface in particular.</summary>
    public IReadOnlyList<string> ContainerAddresses =>
    [
        .. Ips.Where(ip => ip.Interface is not { } i || i < Interfaces.Count && !string.IsNullOrEmpty(Interfaces[i].Sandbox))
            .Select(ip => ip.Address.ToString())
            .Distinct(StringComparer.Ordinal),
    ];
}
