namespace Harrier.LoadBalancer.Haproxy;

/// <summary>What the supervisor believes runs: the configuration (as on disk) and the map files' contents.</summary>
internal sealed record RunningConfig(HaproxyConfigModel Model, string? DomainMap, string? AppMap)
{
    public bool SameMaps(string? domainMap, string? appMap) => DomainMap == domainMap && AppMap == appMap;
}
