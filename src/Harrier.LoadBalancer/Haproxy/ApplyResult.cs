namespace Harrier.LoadBalancer.Haproxy;

/// <summary>The result of one apply: what was done, the server counts of a runtime change, HAProxy's error text.</summary>
/// <param name="Outcome">What was done.</param>
/// <param name="Added">Servers added through the runtime API.</param>
/// <param name="Removed">Servers drained and deleted through the runtime API.</param>
/// <param name="Toggled">Servers switched between <c>disabled</c> (maint) and ready.</param>
/// <param name="Error">HAProxy's own error text when <see cref="ApplyOutcome.Rejected"/>.</param>
/// <param name="ReloadReason">Why a reload was needed (shape changed, maps changed, a server option the runtime API refuses…).</param>
public sealed record ApplyResult(ApplyOutcome Outcome, int Added = 0, int Removed = 0, int Toggled = 0, string? Error = null, string? ReloadReason = null)
{
    public static readonly ApplyResult NoChange = new(ApplyOutcome.NoChange);

    public static ApplyResult Rejected(string error) => new(ApplyOutcome.Rejected, Error: error);

    public static ApplyResult Reloaded(string reason) => new(ApplyOutcome.Reloaded, ReloadReason: reason);
}
