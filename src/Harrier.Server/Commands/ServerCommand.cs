namespace Harrier.Server.Commands;

/// <summary>
/// A request to change cluster state, executed by the <see cref="Orchestration.Orchestrator"/> (the one writer).
/// Its task completes after the change is durably committed, with a result or a <see cref="CommandError"/>.
/// </summary>
public abstract record ServerCommand
{
    internal TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Nobody waits for the outcome (see <c>Orchestrator.EnqueueAsync</c>).</summary>
    internal bool FireAndForget { get; set; }

    /// <summary>
    /// Sent by an agent (registration, status, health, heartbeat). Agents' commands keep their arrival order among
    /// themselves; operators' commands (the API) are taken first, so a flood of agent updates does not delay them.
    /// </summary>
    internal virtual bool FromAgent => false;
}
