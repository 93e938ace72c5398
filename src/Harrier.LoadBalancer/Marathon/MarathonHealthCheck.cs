namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// The fields of a Marathon health check the templates can use. Absent numbers take Marathon's defaults; an absent
/// <c>path</c>/<c>portIndex</c>/<c>port</c> stays null (rendered <c>/</c>, <c>None</c>, <c>None</c> as marathon-lb's
/// Python formatting does).
/// </summary>
internal sealed record MarathonHealthCheck(
    string Protocol,
    string? Path,
    int? Port,
    int? PortIndex,
    long TimeoutSeconds,
    long IntervalSeconds,
    long GracePeriodSeconds,
    long MaxConsecutiveFailures);
