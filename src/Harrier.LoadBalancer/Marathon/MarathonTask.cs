namespace Harrier.LoadBalancer.Marathon;

/// <summary>A task of an apps body, as the balancer reads it.</summary>
/// <param name="HealthResults">The <c>alive</c> flags of <c>healthCheckResults</c>; null when the field is absent.</param>
/// <param name="AppId">The app id the task was listed under (before a blue/green rename).</param>
/// <param name="Draining">Set by the blue/green merge: the server is rendered <c>disabled</c>.</param>
internal sealed record MarathonTask(
    string Id,
    string Host,
    IReadOnlyList<int> Ports,
    string? State,
    IReadOnlyList<bool>? HealthResults,
    string? IpAddress,
    string AppId,
    bool Draining = false);
