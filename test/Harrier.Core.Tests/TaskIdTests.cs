using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Core.Tests;

public sealed class TaskIdTests
{
    [Fact]
    public void CurrentForm_ParsesInstanceAndIncarnation()
    {
        var instance = InstanceId.For(PathId.Parse("/a/b"), Guid.Parse("6f1c0e1a-0000-11eb-8000-000000000001"));
        Assert.Equal("a_b.instance-6f1c0e1a-0000-11eb-8000-000000000001", instance.Value);
        var task = instance.TaskFor(3);
        Assert.Equal(instance.Value + "._app.3", task.Value);
        Assert.Equal(instance, task.Instance);
        Assert.Equal(3, task.Incarnation);
    }

    [Theory]
    [InlineData("a_b.6f1c0e1a-1234-11eb-8000-000000000001", "a_b.6f1c0e1a-1234-11eb-8000-000000000001")]
    [InlineData("a_b_6f1c0e1a-1234-11eb-8000-000000000001", "a_b_6f1c0e1a-1234-11eb-8000-000000000001")]
    [InlineData("a_b.6f1c0e1a-1234-11eb-8000-000000000001.2", "a_b.6f1c0e1a-1234-11eb-8000-000000000001")]
    [InlineData("web.marathon-6f1c0e1a-1234-11eb-8000-000000000001._app.1", "web.marathon-6f1c0e1a-1234-11eb-8000-000000000001")]
    public void LegacyForms_AreParsed(string raw, string instance)
    {
        Assert.True(TaskId.TryParse(raw, out var id));
        Assert.Equal(instance, id.Instance!.Value.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    public void NotATaskId_IsRejected(string raw) => Assert.False(TaskId.TryParse(raw, out _));
}
