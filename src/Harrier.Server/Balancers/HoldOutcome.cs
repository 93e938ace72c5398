namespace Harrier.Server.Balancers;

/// <summary>How a held kill ended (the <c>outcome</c> label of <c>harrier_balancer_kill_holds_ended_total</c>).</summary>
internal enum HoldOutcome
{
    /// <summary>Every balancer it waited for confirmed the drain.</summary>
    Confirmed,

    /// <summary>The deadline passed first.</summary>
    Timeout,

    /// <summary>The balancers it still waited for went away (deregistered, lease expired), or the task ended on its own.</summary>
    Released,
}
