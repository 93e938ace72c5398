using System.Diagnostics;
using System.Globalization;
using Harrier.Core.Instances;
using Harrier.Drivers.Images;

namespace Harrier.Agent.Launch;

/// <summary>
/// Pulls the task's image (in TASK_STAGING, reporting "pulling IMAGE (k of n layers, x MB of y MB)" at most once a
/// second) and holds it in use in the store until the task ends. A pull failure fails the task with
/// <see cref="TaskReasons.ImagePullFailed"/> and a message naming the image and the cause. Without a store, a
/// launch with an image fails with <c>unavailableReason</c>, or, when that is null (the fake driver), pulls nothing.
/// </summary>
internal sealed class ImageStep(IImageStore? store, string? unavailableReason) : ILaunchStep
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public string Name => "image";

    public LaunchPhase Phase => LaunchPhase.Staging;

    public async Task PrepareAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        if (context.Launch.Container is not { HasImage: true } container)
        {
            return;
        }
        if (store is null && unavailableReason is null)
        {
            return;
        }
        if (store is null)
        {
            throw new LaunchStepException(TaskState.Failed, TaskReasons.LaunchFailed,
                $"Failed to launch container: this agent cannot run container images ({unavailableReason ?? "no image store"})");
        }
        var image = container.Image!;
        context.Progress($"pulling {image}");
        var progress = new ThrottledProgress(context, image);
        try
        {
            var pulled = await store.PullAsync(image, container.ForcePullImage, progress, cancellationToken);
            store.Use(pulled, context.Launch.TaskId.Value);
            context.Image = pulled;
            // Over the budget now? The least recently used images no task uses go (this one is in use).
            store.CollectGarbage();
        }
        catch (ImagePullException e)
        {
            throw new LaunchStepException(TaskState.Failed, TaskReasons.ImagePullFailed, e.Message, e);
        }
    }

    public async Task RecoverAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        if (store is null || context.Launch.Container is not { HasImage: true } container)
        {
            return;
        }
        try
        {
            // Present since the task started from it: answered from the store, no registry call.
            var pulled = await store.PullAsync(container.Image!, forcePull: false, null, cancellationToken);
            store.Use(pulled, context.Launch.TaskId.Value);
            context.Image = pulled;
        }
        catch (ImagePullException)
        {
            // Removed by hand meanwhile: the running container keeps its mounted layers; nothing to hold.
        }
    }

    public Task ReleaseAsync(LaunchContext context)
    {
        store?.Release(context.Launch.TaskId.Value);
        return Task.CompletedTask;
    }

    internal static string Describe(PullProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"pulling {p.Image} ({p.LayersDone} of {p.LayersTotal} layers, {p.BytesDone / 1e6:0.0} MB of {p.BytesTotal / 1e6:0.0} MB)");

    /// <summary>Reports synchronously (a <see cref="Progress{T}"/> would post to the thread pool and reorder), the
    /// first report and then at most one a second, always the last one.</summary>
    private sealed class ThrottledProgress(LaunchContext context, string image) : IProgress<PullProgress>
    {
        private readonly Lock _gate = new();
        private long _last = Stopwatch.GetTimestamp() - Stopwatch.Frequency * 10;

        public void Report(PullProgress value)
        {
            lock (_gate)
            {
                var done = value.LayersDone == value.LayersTotal;
                if (!done && Stopwatch.GetElapsedTime(_last) < ProgressInterval)
                {
                    return;
                }
                _last = Stopwatch.GetTimestamp();
                context.Progress(Describe(value with { Image = image }));
            }
        }
    }
}
