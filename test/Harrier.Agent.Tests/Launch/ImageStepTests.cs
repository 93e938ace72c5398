using Harrier.Agent.Launch;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Drivers.Images;
using Harrier.Protocol;
using Xunit;

namespace Harrier.Agent.Tests.Launch;

public sealed class ImageStepTests
{
    private static TaskLaunch Launch(string? image) => new()
    {
        TaskId = new TaskId("t.instance-1._app.1"),
        InstanceId = new InstanceId("t.instance-1"),
        AppId = PathId.Parse("/t"),
        AppVersion = Timestamp.Zero,
        Shell = "true",
        Resources = new ResourceVector(0.1, 16, 0, 0),
        Container = image is null ? null : new TaskContainer { Image = image },
    };

    private static (LaunchContext Context, List<string> Messages) Context(string? image)
    {
        var messages = new List<string>();
        return (new LaunchContext(Launch(image), "/sandbox", "/state", messages.Add), messages);
    }

    [Fact]
    public async Task PrepareAsync_Pull_ReportsFirstThenAtMostOneASecondAndTheLast()
    {
        var store = new FakeImageStore();
        for (var i = 0; i <= 100; i++)
        {
            store.Progress.Add(new PullProgress("ignored", i == 100 ? 3 : i / 40, 3, i * 1_000_000L, 100_000_000));
        }
        var (context, messages) = Context("dcoslabs/httpi:latest");

        await new ImageStep(store, null).PrepareAsync(context, CancellationToken.None);

        Assert.Equal("pulling dcoslabs/httpi:latest", messages[0]);
        Assert.Equal("pulling dcoslabs/httpi:latest (0 of 3 layers, 0.0 MB of 100.0 MB)", messages[1]);
        Assert.Equal("pulling dcoslabs/httpi:latest (3 of 3 layers, 100.0 MB of 100.0 MB)", messages[^1]);
        Assert.InRange(messages.Count, 3, 5);
        Assert.Equal("docker.io/dcoslabs/httpi:latest", context.Image!.Reference);
        Assert.Equal("docker.io/dcoslabs/httpi:latest", store.InUse["t.instance-1._app.1"]);
        Assert.Equal(1, store.Collections);
    }

    [Fact]
    public async Task PrepareAsync_PullFails_FailsTheTaskWithImagePullFailedAndTheCause()
    {
        var store = new FakeImageStore { Failure = new ImagePullException("docker.io/nope/x:1", ImagePullFailure.NotFound, "not found in the registry (MANIFEST_UNKNOWN)") };
        var (context, _) = Context("nope/x:1");

        var e = await Assert.ThrowsAsync<LaunchStepException>(() => new ImageStep(store, null).PrepareAsync(context, CancellationToken.None));

        Assert.Equal(TaskState.Failed, e.State);
        Assert.Equal(TaskStatusReasons.ImagePullFailed, e.Reason);
        Assert.Equal("Failed to pull image 'docker.io/nope/x:1': not found in the registry (MANIFEST_UNKNOWN)", e.Message);
        Assert.Empty(store.InUse);
    }

    [Fact]
    public async Task PrepareAsync_NoImage_PullsNothing()
    {
        var store = new FakeImageStore();
        var (context, messages) = Context(null);

        await new ImageStep(store, null).PrepareAsync(context, CancellationToken.None);

        Assert.Null(context.Image);
        Assert.Empty(messages);
        Assert.Empty(store.InUse);
    }

    [Fact]
    public async Task PrepareAsync_AgentWithoutContainers_FailsSayingWhy()
    {
        var (context, _) = Context("busybox");

        var e = await Assert.ThrowsAsync<LaunchStepException>(() => new ImageStep(null, "the agent is not running as root").PrepareAsync(context, CancellationToken.None));

        Assert.Equal(TaskState.Failed, e.State);
        Assert.Contains("the agent is not running as root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_FakeDriverAgent_PullsNothingAndRunsTheTask()
    {
        var (context, _) = Context("busybox");

        await new ImageStep(null, null).PrepareAsync(context, CancellationToken.None);

        Assert.Null(context.Image);
    }

    [Fact]
    public async Task ReleaseAsync_ReleasesTheImageForGarbageCollection()
    {
        var store = new FakeImageStore();
        var (context, _) = Context("busybox");
        var step = new ImageStep(store, null);
        await step.PrepareAsync(context, CancellationToken.None);

        await step.ReleaseAsync(context);

        Assert.Empty(store.InUse);
    }
}
