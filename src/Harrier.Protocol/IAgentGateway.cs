using Harrier.Core.Ids;

namespace Harrier.Protocol;

/// <summary>
/// The server side of the agent protocol, as an agent sees it. The server implements it; transports carry it
/// (in-process in <c>harrier dev</c>, HTTP for separate agents), so nothing special-cases the local agent.
/// </summary>
public interface IAgentGateway
{
    ValueTask<RegisterAgentResponse> RegisterAsync(RegisterAgentRequest request, CancellationToken cancellationToken);

    /// <summary>The command stream for one registered agent; it ends when the connection is replaced or closed.</summary>
    IAsyncEnumerable<AgentCommand> CommandsAsync(AgentId agentId, CancellationToken cancellationToken);

    /// <summary>Report a status update. The ack arrives later on the command stream, after the server has stored it.</summary>
    ValueTask ReportStatusAsync(TaskStatusUpdate update, CancellationToken cancellationToken);

    /// <summary>
    /// Reports several updates at once, in order (one request over HTTP: an agent with many tasks, or a server slow to
    /// acknowledge, does not pay a round trip per update). Each is acknowledged on its own.
    /// </summary>
    async ValueTask ReportStatusesAsync(IReadOnlyList<TaskStatusUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        foreach (var update in updates)
        {
            await ReportStatusAsync(update, cancellationToken);
        }
    }

    /// <summary>Report a task's check state (at most once; health is soft state, re-sent after each registration).</summary>
    ValueTask ReportHealthAsync(TaskHealthReport report, CancellationToken cancellationToken);

    /// <summary>
    /// Answers a <see cref="StreamLogsCommand"/>: the log's bytes (null: no sandbox for that task). Returns when all
    /// was sent or the server stopped reading (the client went away).
    /// </summary>
    Task UploadLogsAsync(Guid requestId, IAsyncEnumerable<ReadOnlyMemory<byte>>? chunks, CancellationToken cancellationToken);

    /// <summary>Answers an <see cref="AgentQueryCommand"/>. An answer to a request the server no longer waits for is dropped.</summary>
    ValueTask AnswerQueryAsync(Guid requestId, AgentQueryAnswer answer, CancellationToken cancellationToken);

    /// <summary>
    /// Says the agent is alive. False: the server does not hold this agent as connected (it was marked unreachable, or
    /// the server restarted), so the agent must register again to reconcile its tasks.
    /// </summary>
    ValueTask<bool> HeartbeatAsync(AgentId agentId, CancellationToken cancellationToken);
}
