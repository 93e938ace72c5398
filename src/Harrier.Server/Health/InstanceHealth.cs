using Harrier.Core.Collections;
using Harrier.Core.Health;
using Harrier.Core.Ids;

namespace Harrier.Server.Health;

/// <summary>
/// The latest check state an agent reported for an instance's current task. In memory only, as in Marathon: after a
/// server restart agents re-send it when they register again.
/// <see cref="KillRequested"/> is set while the last report asked for a kill that has not been sent yet (the
/// circuit breaker may hold it back).
/// </summary>
public sealed record InstanceHealth(
    TaskId TaskId,
    ValueList<HealthCheckResult> Results,
    ReadinessCheckResult? Readiness,
    bool KillRequested = false)
{
    public HealthCheckResult? ResultOf(int index) => Results.FirstOrDefault(r => r.CheckIndex == index);

    /// <summary>
    /// The instance's health given how many checks its app has: true when every check is alive, false when any
    /// check has failed since its last success (or never succeeded but failed), null while any is still unknown.
    /// </summary>
    public bool? Aggregate(int checkCount)
    {
        var unknown = false;
        for (var i = 0; i < checkCount; i++)
        {
            var r = ResultOf(i);
            if (r is null || (r.LastSuccess is null && r.LastFailure is null))
            {
                unknown = true;
                continue;
            }
            if (!r.Alive)
            {
                return false;
            }
        }
        return unknown ? null : true;
    }
}
