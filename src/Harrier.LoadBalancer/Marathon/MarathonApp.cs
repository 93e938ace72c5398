namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// An app of a <c>/v2/apps?embed=apps.tasks</c> body reduced to what marathon-lb reads. Port lists keep Marathon's
/// order; a null list means the field was absent (marathon-lb tells "absent" from "empty" for <c>portDefinitions</c>).
/// </summary>
/// <param name="PortMappingServicePorts">Each port mapping's <c>servicePort</c> (null when unset).</param>
/// <param name="PortMappingContainerPorts">Each port mapping's <c>containerPort</c>, those set.</param>
/// <param name="PortDefinitionPorts">Each <c>portDefinitions[].port</c>, those set; null without <c>portDefinitions</c>.</param>
/// <param name="LegacyPorts">The pre-1.0 <c>ports</c> list.</param>
/// <param name="DiscoveryPorts">Legacy <c>ipAddress.discovery.ports[].number</c>.</param>
internal sealed record MarathonApp(
    string Id,
    IReadOnlyDictionary<string, string> Labels,
    int Instances,
    NetworkingMode Mode,
    IReadOnlyList<int?> PortMappingServicePorts,
    IReadOnlyList<int> PortMappingContainerPorts,
    IReadOnlyList<int>? PortDefinitionPorts,
    IReadOnlyList<int> LegacyPorts,
    IReadOnlyList<int> DiscoveryPorts,
    IReadOnlyList<MarathonHealthCheck> HealthChecks,
    IReadOnlyList<MarathonTask> Tasks,
    DateTimeOffset? LastScalingAt);
