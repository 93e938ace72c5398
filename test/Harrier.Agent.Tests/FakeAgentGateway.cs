using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Harrier.Core.Ids;
using Harrier.Protocol;

namespace Harrier.Agent.Tests;

/// <summary>
/// The server side as a test sees it: records registrations, updates and heartbeats; the test pushes commands.
/// With <see cref="AutoAck"/> every update is acknowledged on the command stream as a real server would.
/// </summary>
internal sealed class FakeAgentGateway : IAgentGateway
{
    private Channel<AgentCommand> _commands = Channel.CreateUnbounded<AgentCommand>();

    public bool AutoAck { get; set; } = true;

    public ConcurrentQueue<RegisterAgentRequest> Registrations { get; } = new();

    public ConcurrentQueue<TaskStatusUpdate> Updates { get; } = new();

    public int Heartbeats;

    public ValueTask<RegisterAgentResponse> RegisterAsync(RegisterAgentRequest request, CancellationToken cancellationToken)
    {
        Registrations.Enqueue(request);
        return ValueTask.FromResult(new RegisterAgentResponse(true));
    }

    public async IAsyncEnumerable<AgentCommand> CommandsAsync(AgentId agentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = _commands;
        await foreach (var command in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return command;
        }
    }

    /// <summary>How many updates each report carried (one request over HTTP each).</summary>
    public ConcurrentQueue<int> Requests { get; } = new();

    public async ValueTask ReportStatusesAsync(IReadOnlyList<TaskStatusUpdate> updates, CancellationToken cancellationToken)
    {
        Requests.Enqueue(updates.Count);
        foreach (var update in updates)
        {
            await Record(update);
        }
    }

    public ValueTask ReportStatusAsync(TaskStatusUpdate update, CancellationToken cancellationToken)
    {
        Requests.Enqueue(1);
        return Record(update);
    }

    private ValueTask Record(TaskStatusUpdate update)
    {
        Updates.Enqueue(update);
        if (AutoAck)
        {
            Push(new AckStatusCommand(update.TaskId, update.UpdateId));
        }
        return ValueTask.CompletedTask;
    }

    public ConcurrentQueue<TaskHealthReport> HealthReports { get; } = new();

    public ValueTask ReportHealthAsync(TaskHealthReport report, CancellationToken cancellationToken)
    {
        HealthReports.Enqueue(report);
        return ValueTask.CompletedTask;
    }

    /// <summary>Log uploads the agent made, by request id, with all their bytes (null: the agent had no sandbox).</summary>
    public ConcurrentDictionary<Guid, byte[]?> Uploads { get; } = new();

    public System.Collections.Concurrent.ConcurrentDictionary<Guid, AgentQueryAnswer> Answers { get; } = new();

    public ValueTask AnswerQueryAsync(Guid requestId, AgentQueryAnswer answer, CancellationToken cancellationToken)
    {
        Answers[requestId] = answer;
        return ValueTask.CompletedTask;
    }

    public async Task UploadLogsAsync(Guid requestId, IAsyncEnumerable<ReadOnlyMemory<byte>>? chunks, CancellationToken cancellationToken)
    {
        if (chunks is null)
        {
            Uploads[requestId] = null;
            return;
        }
        using var buffer = new MemoryStream();
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            buffer.Write(chunk.Span);
        }
        Uploads[requestId] = buffer.ToArray();
    }

    /// <summary>What heartbeats answer: false tells the agent to register again.</summary>
    public bool HeartbeatAccepted { get; set; } = true;

    public ValueTask<bool> HeartbeatAsync(AgentId agentId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Heartbeats);
        return ValueTask.FromResult(HeartbeatAccepted);
    }

    public void Push(AgentCommand command) => _commands.Writer.TryWrite(command);

    /// <summary>Ends the current command stream (the agent must register again); later commands go to the next one.</summary>
    public void DropConnection()
    {
        var old = _commands;
        _commands = Channel.CreateUnbounded<AgentCommand>();
        old.Writer.TryComplete();
    }

    public IReadOnlyList<TaskStatusUpdate> UpdatesFor(TaskId taskId) => Updates.Where(u => u.TaskId == taskId).ToArray();
}
