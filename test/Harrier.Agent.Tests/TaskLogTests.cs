using System.Text;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests;

public sealed class TaskLogTests : IAsyncDisposable
{
    private readonly AgentTestHarness _h = new();

    [Fact]
    public async Task ReadAsync_Tail_ReturnsTheLastLines()
    {
        var agent = await _h.StartAsync();
        var launch = AgentTestHarness.Launch(shell: "printf '1\\n2\\n3\\n4\\n'");
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Finished);

        var text = await ReadAllAsync(agent.ReadAsync(launch.TaskId, "stdout", 2, follow: false, TestContext.Current.CancellationToken)!);

        text.ShouldBe("3\n4\n");
    }

    [Fact]
    public async Task ReadAsync_Follow_StreamsUntilTheTaskEndsAndTheFileIsDrained()
    {
        var agent = await _h.StartAsync();
        var launch = AgentTestHarness.Launch(shell: "for i in 1 2 3; do echo line$i >&2; sleep 0.2; done");
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Running);

        var text = await ReadAllAsync(agent.ReadAsync(launch.TaskId, "stderr", null, follow: true, TestContext.Current.CancellationToken)!).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        text.ShouldBe("line1\nline2\nline3\n");
    }

    [Fact]
    public async Task ReadAsync_UnknownTaskOrStream_ReturnsNull()
    {
        var agent = await _h.StartAsync();

        agent.ReadAsync(new TaskId("nope._app.1"), "stdout", null, false, TestContext.Current.CancellationToken).ShouldBeNull();
        agent.ReadAsync(new TaskId("nope._app.1"), "../../etc/passwd", null, false, TestContext.Current.CancellationToken).ShouldBeNull();
    }

    [Fact]
    public async Task ReadAsync_StderrReplacedByTheTaskWithALinkOutside_ReturnsNull()
    {
        var agent = await _h.StartAsync();
        var launch = AgentTestHarness.Launch(shell: "rm -f stderr && ln -s /etc/hostname stderr");
        _h.Gateway.Push(new LaunchTaskCommand(launch));
        await _h.WaitForStateAsync(launch.TaskId, TaskState.Finished);

        agent.ReadAsync(launch.TaskId, "stderr", null, follow: false, TestContext.Current.CancellationToken).ShouldBeNull();
    }

    [Fact]
    public async Task Refusal_LogHardLinkedElsewhere_IsRefused()
    {
        var sandbox = Directory.CreateTempSubdirectory("harrier-logs-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(sandbox, "other"), "x", TestContext.Current.CancellationToken);
            using (var ln = System.Diagnostics.Process.Start("ln", [Path.Combine(sandbox, "other"), Path.Combine(sandbox, "stdout")]))
            {
                await ln.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            SandboxLogReader.Refusal(sandbox, "stdout").ShouldNotBeNull().ShouldContain("hard links");
            SandboxLogReader.Refusal(sandbox, "stderr").ShouldBeNull();
        }
        finally
        {
            Directory.Delete(sandbox, recursive: true);
        }
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private static async Task<string> ReadAllAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        var builder = new StringBuilder();
        await foreach (var chunk in chunks)
        {
            builder.Append(Encoding.UTF8.GetString(chunk.Span));
        }
        return builder.ToString();
    }
}
