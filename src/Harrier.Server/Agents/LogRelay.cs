using System.Collections.Concurrent;
using Harrier.Core.Ids;
using Harrier.Protocol;

namespace Harrier.Server.Agents;

/// <summary>
/// Task logs from agents that are not in this process. The API asks (<see cref="OpenAsync"/>), a
/// <see cref="StreamLogsCommand"/> goes down the agent's command stream, and the agent answers by uploading the bytes
/// under the request id (<see cref="DeliverAsync"/>), which the API copies to its client as they come. The agent
/// only ever calls the server, so no agent port has to be reachable; the in-process agent of <c>harrier dev</c>
/// takes the same path when asked.
/// </summary>
public sealed class LogRelay(AgentConnections connections)
{
    private readonly ConcurrentDictionary<Guid, Pending> _pending = new();

    /// <summary>How long the agent has to start answering.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The log as the agent streams it; null when the agent is not connected, has no sandbox for the task, or does not answer.</summary>
    public async Task<RelayedLog?> OpenAsync(AgentId agent, TaskId task, string stream, int? tail, bool follow, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var pending = new Pending(agent);
        _pending[id] = pending;
        try
        {
            if (!connections.Send(agent, new StreamLogsCommand(id, task, stream, tail, follow)))
            {
                return null;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AnswerTimeout);
            await ((Task)pending.Answer.Task).WaitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!pending.Answer.Task.IsCompletedSuccessfully || pending.Answer.Task.Result is not { } chunks)
            {
                pending.Done.TrySetResult();
                return null;
            }
            return new RelayedLog(chunks, pending.Done);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>The agent's answer. Returns once the API's client has everything or has gone; false for an unknown (timed out) request.</summary>
    public async Task<bool> DeliverAsync(Guid requestId, IAsyncEnumerable<ReadOnlyMemory<byte>>? chunks, CancellationToken cancellationToken)
    {
        if (!_pending.TryGetValue(requestId, out var pending) || !pending.Answer.TrySetResult(chunks))
        {
            return false;
        }
        if (chunks is not null)
        {
            await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return true;
    }

    /// <summary>True when the request is pending and was sent to <paramref name="agent"/>: only that agent may answer it.</summary>
    public bool IsAskedOf(Guid requestId, AgentId agent) => _pending.TryGetValue(requestId, out var pending) && pending.Agent == agent;

    private sealed class Pending(AgentId agent)
    {
        public AgentId Agent { get; } = agent;

        public TaskCompletionSource<IAsyncEnumerable<ReadOnlyMemory<byte>>?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
