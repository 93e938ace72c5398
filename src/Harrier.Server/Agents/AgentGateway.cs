using System.Runtime.CompilerServices;
using Harrier.Core.Ids;
using Harrier.Protocol;
using Harrier.Server.Commands;
using Harrier.Server.Orchestration;

namespace Harrier.Server.Agents;

/// <summary>
/// The server's side of the agent protocol. In <c>harrier dev</c> the local agent calls it in-process; the HTTP
/// transport for remote agents calls the same methods.
/// </summary>
public sealed class AgentGateway(Orchestrator orchestrator, AgentConnections connections, LogRelay logs, AgentQueryRelay queries) : IAgentGateway
{
    public async ValueTask<RegisterAgentResponse> RegisterAsync(RegisterAgentRequest request, CancellationToken cancellationToken)
    {
        await orchestrator.Loaded.WaitAsync(cancellationToken);
        if (request.ProtocolVersion == ProtocolVersion.Current)
        {
            // The stream exists before reconciliation runs, so its kills reach the agent.
            connections.Open(request.Agent.Id);
        }
        return await orchestrator.ExecuteAsync<RegisterAgentResponse>(new AgentRegisterCommand(request), cancellationToken);
    }

    public async IAsyncEnumerable<AgentCommand> CommandsAsync(AgentId agentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = connections.TryAttach(agentId)
            ?? throw new InvalidOperationException($"Agent {agentId}'s command stream already has a reader.");
        try
        {
            await foreach (var command in reader.ReadAllAsync(cancellationToken))
            {
                yield return command;
            }
        }
        finally
        {
            connections.Close(agentId, reader);
        }
    }

    /// <summary>Queued, not awaited: the server acknowledges on the command stream once the update is stored.</summary>
    public ValueTask ReportStatusAsync(TaskStatusUpdate update, CancellationToken cancellationToken) =>
        orchestrator.EnqueueAsync(new StatusUpdateCommand(update), cancellationToken);

    public ValueTask ReportHealthAsync(TaskHealthReport report, CancellationToken cancellationToken) =>
        orchestrator.EnqueueAsync(new HealthReportCommand(report), cancellationToken);

    public Task UploadLogsAsync(Guid requestId, IAsyncEnumerable<ReadOnlyMemory<byte>>? chunks, CancellationToken cancellationToken) =>
        logs.DeliverAsync(requestId, chunks, cancellationToken);

    public ValueTask AnswerQueryAsync(Guid requestId, AgentQueryAnswer answer, CancellationToken cancellationToken)
    {
        queries.Deliver(requestId, answer);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// False when the latest snapshot does not hold the agent as connected (marked unreachable, or the server restarted):
    /// the agent then registers again, which reconciles its tasks. A registration is committed before its answer, so a
    /// freshly registered agent is always seen as connected here.
    /// </summary>
    public async ValueTask<bool> HeartbeatAsync(AgentId agentId, CancellationToken cancellationToken)
    {
        if (!orchestrator.Snapshot.Agents.TryGetValue(agentId, out var agent) || !agent.Connected)
        {
            return false;
        }
        await orchestrator.EnqueueAsync(new AgentHeartbeatCommand(agentId), cancellationToken);
        return true;
    }
}
