using System.Net;

namespace Harrier.Dns.Records;

/// <summary>
/// A task as discovery sees it. <see cref="State"/> is the Mesos state name (<c>TASK_RUNNING</c>); only running tasks
/// get names. The IP sources are the addresses of the latest TASK_RUNNING status: <see cref="NetInfoIps"/> from its
/// network infos, <see cref="MesosIps"/> / <see cref="DockerIps"/> from the deprecated status labels.
/// <see cref="Ports"/> are the task's <c>ports</c> resource (host ports), <see cref="PortMappings"/> its
/// container-to-host mappings (bridge networking). <see cref="Healthy"/> is null without health checks.
/// </summary>
public sealed record DiscoveryTask(
    string Id,
    string Name,
    string AgentId,
    string State,
    IReadOnlyList<IPAddress> NetInfoIps,
    IReadOnlyList<int> Ports,
    DiscoveryInfo? Discovery = null,
    bool? Healthy = null)
{
    public const string Running = "TASK_RUNNING";

    public IReadOnlyList<IPAddress> MesosIps { get; init; } = [];

    public IReadOnlyList<IPAddress> DockerIps { get; init; } = [];

    public IReadOnlyList<TaskPortMapping> PortMappings { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    public bool IsRunning => State == Running;
}
