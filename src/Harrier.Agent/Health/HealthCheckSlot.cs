namespace Harrier.Agent.Health;

/// <summary>A health check in the scheduler's queue; its state lives in <see cref="State"/>, guarded by the session.</summary>
internal sealed class HealthCheckSlot(TaskHealthSession session, HealthCheckState state) : CheckSlot(session)
{
    public HealthCheckState State { get; } = state;

    public override TimeSpan Interval => HealthCheckState.Interval(State.Spec);

    public override async Task<bool> RunOnceAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var (spec, port) = Session.Read(this);
        var outcome = await HealthCheckProbe.RunAsync(spec, port, Session.Target, time, cancellationToken);
        Session.Apply(this, outcome);
        return true;
    }
}
