namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// One generated configuration: the config text, the map files' contents (null without <c>--haproxy-map</c>), and the
/// server lines it contains with the task each one stands for (the supervisor drains and confirms by task id).
/// <see cref="Warnings"/> names what the input held that was left out and why (a dropped app, service or task).
/// </summary>
public sealed record RenderedConfig(string Config, string? DomainMap, string? AppMap, IReadOnlyList<RenderedServer> Servers)
{
    public RenderedConfig(string config, string? domainMap, string? appMap, IReadOnlyList<RenderedServer> servers, IReadOnlyList<string> warnings)
        : this(config, domainMap, appMap, servers) => Warnings = warnings;

    /// <summary>Apps, services and tasks left out, each with its reason; empty when everything rendered.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
