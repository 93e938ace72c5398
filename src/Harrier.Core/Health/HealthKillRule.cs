using Harrier.Core.Apps;

namespace Harrier.Core.Health;

/// <summary>
/// When a failing health check kills its task. Marathon-run checks (HTTP, HTTPS, TCP) test the count before the
/// current failure against <c>maxConsecutiveFailures</c>, so they kill on the (max+1)-th consecutive failure, and 0
/// means never. Mesos-run checks (COMMAND, MESOS_*) kill once the count reaches the maximum (Mesos'
/// <c>consecutive_failures</c>), i.e. on the max-th failure.
/// </summary>
public static class HealthKillRule
{
    public static bool IsMarathonRun(HealthCheckProtocol protocol) =>
        protocol is HealthCheckProtocol.Http or HealthCheckProtocol.Https or HealthCheckProtocol.Tcp;

    /// <param name="consecutiveFailures">The count including the failure just observed.</param>
    public static bool ShouldKill(HealthCheckSpec check, int consecutiveFailures) =>
        IsMarathonRun(check.Protocol)
            ? check.MaxConsecutiveFailures > 0 && consecutiveFailures > check.MaxConsecutiveFailures
            : consecutiveFailures >= check.MaxConsecutiveFailures;
}
