using Harrier.Core.Time;

namespace Harrier.Server.Health;

/// <summary>
/// The circuit breaker's rules as pure functions of its state, the current failure figures and the clock (see
/// <see cref="HealthBreakerOptions"/>). The orchestrator evaluates it on every full sweep and asks it before each
/// health kill.
/// </summary>
public static class HealthKillBreaker
{
    /// <summary>The state after looking at the current figures; the same instance when nothing changed.</summary>
    public static HealthBreakerState Evaluate(HealthBreakerState state, HealthBreakerOptions options, int failing, int checkedInstances, int failingApps, Timestamp now)
    {
        if (!options.Enabled)
        {
            return state.Mode == HealthBreakerMode.Closed ? state : HealthBreakerState.Initial with { Since = now };
        }
        var tripped = checkedInstances > 0 && failingApps >= options.MinApps && failing >= options.FailingShare * checkedInstances;
        var figures = state with { FailingInstances = failing, CheckedInstances = checkedInstances, FailingApps = failingApps };
        switch (state.Mode)
        {
            case HealthBreakerMode.Closed or HealthBreakerMode.Recovering when tripped:
                return figures with { Mode = HealthBreakerMode.Open, Since = now, Tokens = 0, DeferredKills = 0 };
            case HealthBreakerMode.Open when !tripped:
                return figures with { Mode = HealthBreakerMode.Recovering, Since = now, Tokens = options.InitialKillsPerSecond, LastRefill = now };
            case HealthBreakerMode.Recovering when now.UnixMilliseconds - state.Since.UnixMilliseconds >= options.RecoveryPeriod.TotalMilliseconds:
                return figures with { Mode = HealthBreakerMode.Closed, Since = now, Tokens = 0, DeferredKills = 0 };
            default:
                return state.FailingInstances == failing && state.CheckedInstances == checkedInstances && state.FailingApps == failingApps ? state : figures;
        }
    }

    /// <summary>May a health kill happen now? Returns the state with the kill (or the deferral) accounted for.</summary>
    public static (bool Allowed, HealthBreakerState State) TryKill(HealthBreakerState state, HealthBreakerOptions options, Timestamp now)
    {
        switch (state.Mode)
        {
            case HealthBreakerMode.Closed:
                return (true, state);
            case HealthBreakerMode.Open:
                return (false, state with { DeferredKills = state.DeferredKills + 1 });
            default:
                var refilled = Refill(state, options, now);
                return refilled.Tokens >= 1
                    ? (true, refilled with { Tokens = refilled.Tokens - 1 })
                    : (false, refilled with { DeferredKills = refilled.DeferredKills + 1 });
        }
    }

    /// <summary>Kills per second while recovering: the initial rate doubled once per ramp interval since recovery began.</summary>
    public static double Rate(HealthBreakerState state, HealthBreakerOptions options, Timestamp now)
    {
        var ramps = Math.Max(0, (now.UnixMilliseconds - state.Since.UnixMilliseconds) / Math.Max(1, (long)options.RampInterval.TotalMilliseconds));
        return options.InitialKillsPerSecond * Math.Pow(2, Math.Min(ramps, 20));
    }

    private static HealthBreakerState Refill(HealthBreakerState state, HealthBreakerOptions options, Timestamp now)
    {
        var seconds = Math.Max(0, now.UnixMilliseconds - state.LastRefill.UnixMilliseconds) / 1000.0;
        var rate = Rate(state, options, now);
        // At most one second's worth banks up, so a quiet spell does not release a burst.
        var tokens = Math.Min(Math.Max(rate, 1), state.Tokens + (seconds * rate));
        return state with { Tokens = tokens, LastRefill = now };
    }
}
