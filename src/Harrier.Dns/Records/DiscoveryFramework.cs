using System.Net;

namespace Harrier.Dns.Records;

/// <summary>A framework (Marathon, or Harrier acting as it): name, scheduler addresses and port (null when the
/// scheduler has no pid, as Mesos reports frameworks that only give a host name), and its tasks.</summary>
public sealed record DiscoveryFramework(
    string Name,
    IReadOnlyList<IPAddress> SchedulerIps,
    int? SchedulerPort,
    IReadOnlyList<DiscoveryTask> Tasks);
