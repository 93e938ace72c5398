using System.Text;
using Harrier.Core.Ids;
using Harrier.Protocol;
using Harrier.Server.Agents;
using Xunit;

namespace Harrier.Server.Tests;

public sealed class LogRelayTests
{
    private static readonly AgentId Agent = new("agent-1");
    private static readonly TaskId Task1 = InstanceId.For(PathId.Parse("/a"), Guid.NewGuid()).TaskFor(1);

    [Fact]
    public async Task OpenAsync_AgentNotConnected_Null()
    {
        var relay = new LogRelay(new AgentConnections());

        Assert.Null(await relay.OpenAsync(Agent, Task1, "stdout", null, false, CancellationToken.None));
    }

    [Fact]
    public async Task OpenAsync_AgentNeverAnswers_NullAfterTheTimeout_LateAnswerRefused()
    {
        var connections = new AgentConnections();
        var commands = connections.Open(Agent);
        var relay = new LogRelay(connections) { AnswerTimeout = TimeSpan.FromMilliseconds(200) };

        Assert.Null(await relay.OpenAsync(Agent, Task1, "stdout", null, false, CancellationToken.None));

        Assert.True(commands.TryRead(out var command));
        var request = Assert.IsType<StreamLogsCommand>(command);
        Assert.False(await relay.DeliverAsync(request.RequestId, Chunks("late"), CancellationToken.None));
    }

    [Fact]
    public async Task OpenAsync_AgentHasNoSandbox_Null()
    {
        var connections = new AgentConnections();
        var commands = connections.Open(Agent);
        var relay = new LogRelay(connections);

        var opening = relay.OpenAsync(Agent, Task1, "stderr", 5, true, CancellationToken.None);
        var request = Assert.IsType<StreamLogsCommand>(await commands.ReadAsync());
        Assert.Equal((Task1, "stderr", (int?)5, true), (request.TaskId, request.Stream, request.Tail, request.Follow));
        Assert.True(await relay.DeliverAsync(request.RequestId, null, CancellationToken.None));

        Assert.Null(await opening);
    }

    [Fact]
    public async Task OpenAsync_AgentAnswers_BytesFlowAndTheUploadEndsWhenTheReaderIsDone()
    {
        var connections = new AgentConnections();
        var commands = connections.Open(Agent);
        var relay = new LogRelay(connections);

        var opening = relay.OpenAsync(Agent, Task1, "stdout", null, false, CancellationToken.None);
        var request = Assert.IsType<StreamLogsCommand>(await commands.ReadAsync());
        var upload = relay.DeliverAsync(request.RequestId, Chunks("one\n", "two\n"), CancellationToken.None);
        var log = await opening;
        Assert.NotNull(log);
        var text = new StringBuilder();
        await foreach (var chunk in log.ReadAsync(CancellationToken.None))
        {
            text.Append(Encoding.UTF8.GetString(chunk.Span));
        }
        Assert.False(upload.IsCompleted);

        await log.DisposeAsync();

        Assert.True(await upload.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("one\ntwo\n", text.ToString());
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(params string[] parts)
    {
        foreach (var part in parts)
        {
            await Task.Yield();
            yield return Encoding.UTF8.GetBytes(part);
        }
    }
}
