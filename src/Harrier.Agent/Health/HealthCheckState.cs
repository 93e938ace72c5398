using Harrier.Core.Apps;
using Harrier.Core.Health;
using Harrier.Core.Time;

namespace Harrier.Agent.Health;

/// <summary>
/// The state of one check of one task and the rules that change it (pure: the caller passes the time). Grace: a
/// failure is ignored while the check has never succeeded and is still within <c>gracePeriodSeconds</c> of the task
/// becoming Running; after the first success the grace period no longer applies. A success resets the count.
/// </summary>
internal sealed class HealthCheckState
{
    public HealthCheckState(int index, HealthCheckSpec spec, int? port)
    {
        Spec = spec;
        Port = port;
        Result = new HealthCheckResult { CheckIndex = index };
    }

    public HealthCheckSpec Spec { get; set; }

    public int? Port { get; set; }

    public HealthCheckResult Result { get; private set; }

    /// <summary>True when this check asks for a kill in a report built now (see <see cref="HealthKillRule"/>).</summary>
    public bool KillRequested => Result.ConsecutiveFailures > 0 && HealthKillRule.ShouldKill(Spec, Result.ConsecutiveFailures);

    /// <summary>Applies one probe outcome; true when it must be reported.</summary>
    public bool Apply(ProbeOutcome outcome, Timestamp now, Timestamp runningSince)
    {
        switch (outcome.Verdict)
        {
            case ProbeVerdict.Healthy:
                var before = Result;
                Result = before with { ConsecutiveFailures = 0, FirstSuccess = before.FirstSuccess ?? now, LastSuccess = now };
                // First success, a success after failures (count reset) and alive flipping on are worth a report;
                // a steady healthy check sends nothing.
                return before.FirstSuccess is null || before.ConsecutiveFailures > 0 || !before.Alive;
            case ProbeVerdict.Unhealthy:
                if (Result.FirstSuccess is null && now.UnixMilliseconds <= runningSince.UnixMilliseconds + (Spec.GracePeriodSeconds * 1000L))
                {
                    return false;
                }
                Result = Result with { ConsecutiveFailures = Result.ConsecutiveFailures + 1, LastFailure = now, LastFailureCause = outcome.Cause };
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// When the first probe runs after the task became Running: Marathon-run checks after min(interval, 5 s), Mesos-run
    /// checks after <c>delaySeconds</c>.
    /// </summary>
    public static TimeSpan FirstDelay(HealthCheckSpec spec) => HealthKillRule.IsMarathonRun(spec.Protocol)
        ? TimeSpan.FromSeconds(Math.Min(IntervalSeconds(spec.IntervalSeconds), 5))
        : TimeSpan.FromSeconds(Math.Max(spec.DelaySeconds, 0));

    public static TimeSpan Interval(HealthCheckSpec spec) => TimeSpan.FromSeconds(IntervalSeconds(spec.IntervalSeconds));

    /// <summary>An interval of 0 (which Marathon accepts) would be a hot loop: it is treated as 1 s.</summary>
    public static int IntervalSeconds(int seconds) => Math.Max(seconds, 1);
}
