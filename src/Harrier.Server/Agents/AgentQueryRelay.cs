using System.Collections.Concurrent;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Protocol;

namespace Harrier.Server.Agents;

/// <summary>
/// Questions for agents that are not in this process (their images, their containers' statistics): an
/// <see cref="AgentQueryCommand"/> goes down the agent's command stream and the agent posts its answer under the
/// request id. As with logs, the agent only ever calls the server, so no agent port has to be reachable.
/// </summary>
public sealed class AgentQueryRelay(AgentConnections connections)
{
    private readonly ConcurrentDictionary<Guid, (AgentId Agent, TaskCompletionSource<AgentQueryAnswer> Answer)> _pending = new();

    /// <summary>The agent's answer; null when the agent is not connected or did not answer within <paramref name="timeout"/>.</summary>
    public async Task<AgentQueryAnswer?> AskAsync(AgentId agent, string query, IReadOnlyDictionary<string, string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var answer = new TaskCompletionSource<AgentQueryAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (agent, answer);
        try
        {
            if (!connections.Send(agent, new AgentQueryCommand(id, query, new ValueMap<string>(arguments))))
            {
                return null;
            }
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await ((Task)answer.Task).WaitAsync(deadline.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return answer.Task.IsCompletedSuccessfully ? answer.Task.Result : null;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>False for an unknown (timed out, or never asked) request.</summary>
    public bool Deliver(Guid requestId, AgentQueryAnswer answer) =>
        _pending.TryGetValue(requestId, out var pending) && pending.Answer.TrySetResult(answer);

    /// <summary>True when the request is pending and was sent to <paramref name="agent"/>: only that agent may answer it.</summary>
    public bool IsAskedOf(Guid requestId, AgentId agent) => _pending.TryGetValue(requestId, out var pending) && pending.Agent == agent;
}
