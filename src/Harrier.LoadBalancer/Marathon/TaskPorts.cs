namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// marathon-lb's <c>get_app_task_ports</c>: the ports a task serves on, by networking mode. Host: the task's host
/// ports, else the port definitions. Bridge: the task's ports, else port definitions, else the mappings' container
/// ports. IP-per-task: the legacy discovery ports, else the mappings' container ports.
/// </summary>
internal static class TaskPorts
{
    public static IReadOnlyList<int> Of(MarathonApp app, MarathonTask task) => app.Mode switch
    {
        NetworkingMode.Host => task.Ports.Count > 0 ? task.Ports : app.PortDefinitionPorts ?? [],
        NetworkingMode.Bridge => task.Ports.Count > 0 ? task.Ports
            : app.PortDefinitionPorts is { Count: > 0 } definitions ? definitions
            : app.PortMappingContainerPorts,
        _ => app.DiscoveryPorts.Count > 0 ? app.DiscoveryPorts : app.PortMappingContainerPorts,
    };
}
