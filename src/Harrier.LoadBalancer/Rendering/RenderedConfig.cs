namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// One generated configuration: the config text, the map files' contents (null without <c>--haproxy-map</c>), and the
/// server lines it contains with the task each one stands for (the supervisor drains and confirms by task id).
/// </summary>
public sealed record RenderedConfig(string Config, string? DomainMap, string? AppMap, IReadOnlyList<RenderedServer> Servers);
