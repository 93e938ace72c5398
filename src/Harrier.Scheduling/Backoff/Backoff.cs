using Harrier.Core.Apps;
using Harrier.Core.Time;

namespace Harrier.Scheduling;

/// <summary>Launch backoff arithmetic (spec §10, Marathon's <c>RateLimiter</c>). A null delay means "no delay".</summary>
public static class Backoff
{
    /// <summary>
    /// The delay after a failure (Failed, Error, Finished, Gone, Dropped — not Killed) at <paramref name="now"/>: the
    /// first is <c>min(backoffSeconds, maxLaunchDelay)</c>, each later one <c>min(maxLaunchDelay, previous × factor)</c>.
    /// A delay kept for an older config version of the app is ignored (starts from zero).
    /// </summary>
    public static LaunchDelay Grow(LaunchDelay? current, AppSpec app, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(app);
        var max = TimeSpan.FromSeconds(app.MaxLaunchDelaySeconds);
        var configVersion = app.VersionInfo.LastConfigChangeAt;
        TimeSpan delay;
        if (current is null || current.ConfigVersion != configVersion)
        {
            delay = Min(TimeSpan.FromSeconds(app.BackoffSeconds), max);
        }
        else
        {
            // Marathon multiplies nanoseconds and truncates; ticks (100 ns) are close enough and stay exact for whole seconds.
            delay = Min(max, TimeSpan.FromTicks((long)(current.Delay.Ticks * app.BackoffFactor)));
        }
        return new LaunchDelay(delay, now.Plus(delay), now, configVersion);
    }

    /// <summary>True when launches may proceed: there is no delay or its deadline has passed.</summary>
    public static bool IsOverdue(LaunchDelay? d, Timestamp now) => d is null || now >= d.Deadline;

    /// <summary>
    /// A Staging/Starting/Running/Provisioned update moves the reference time (and so the deadline) to now, keeping the
    /// current delay.
    /// </summary>
    public static LaunchDelay? Advance(LaunchDelay? d, Timestamp now) =>
        d is null ? null : d with { ReferenceTime = now, Deadline = now.Plus(d.Delay) };

    /// <summary>
    /// The periodic cleanup drops a delay once reference time + maxLaunchDelay has passed, or when it belongs to an
    /// older config version of the app.
    /// </summary>
    public static bool IsExpired(LaunchDelay? d, AppSpec app, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(app);
        return d is null
            || d.ConfigVersion != app.VersionInfo.LastConfigChangeAt
            || now > d.ReferenceTime.Plus(TimeSpan.FromSeconds(app.MaxLaunchDelaySeconds));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a <= b ? a : b;
}
