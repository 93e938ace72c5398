using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests;

/// <summary>
/// One task's trouble stays that task's: a command the agent cannot carry out (here, a task id too long for a file
/// name, so its checkpoint cannot be written) ends that task with TASK_ERROR and a message, and the command loop goes
/// on with the next command instead of dropping the connection.
/// </summary>
public sealed class CommandLoopTests : IAsyncDisposable
{
    private readonly AgentTestHarness _h = new();

    [Fact]
    public async Task Launch_TaskIdTooLongForAFileName_ReportsErrorAndTheLoopGoesOn()
    {
        await _h.StartAsync();
        var tooLong = LongLaunch();
        var normal = AgentTestHarness.Launch(argv: ["sleep", "1000"]);

        _h.Gateway.Push(new LaunchTaskCommand(tooLong));
        _h.Gateway.Push(new LaunchTaskCommand(normal));

        var error = await _h.WaitForStateAsync(tooLong.TaskId, TaskState.Error);
        error.Message!.ShouldContain("cannot checkpoint the task");
        await _h.WaitForStateAsync(normal.TaskId, TaskState.Running);
        _h.Gateway.Push(new KillTaskCommand(normal.TaskId, 1));
        await _h.WaitForStateAsync(normal.TaskId, TaskState.Killed);
        _h.Gateway.UpdatesFor(tooLong.TaskId).Select(u => u.State).ShouldNotContain(TaskState.Running);
        _h.Gateway.Registrations.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Kill_TaskIdTooLongForAFileName_AnswersAndTheLoopGoesOn()
    {
        await _h.StartAsync();
        var normal = AgentTestHarness.Launch(argv: ["sleep", "1000"]);
        _h.Gateway.Push(new LaunchTaskCommand(normal));
        await _h.WaitForStateAsync(normal.TaskId, TaskState.Running);
        var tooLong = LongLaunch().TaskId;

        _h.Gateway.Push(new KillTaskCommand(tooLong, 1));
        _h.Gateway.Push(new KillTaskCommand(normal.TaskId, 1));

        await _h.WaitForStateAsync(tooLong, TaskState.Gone);
        await _h.WaitForStateAsync(normal.TaskId, TaskState.Killed);
        _h.Gateway.Registrations.Count.ShouldBe(1);
    }

    /// <summary>A launch whose task id is 300 characters: no file system takes it as one name.</summary>
    private static TaskLaunch LongLaunch()
    {
        var app = PathId.Parse("/" + new string('a', 240));
        var instance = InstanceId.For(app, Guid.NewGuid());
        return AgentTestHarness.Launch(argv: ["sleep", "1000"]) with { TaskId = instance.TaskFor(1), InstanceId = instance, AppId = app };
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
