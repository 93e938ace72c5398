using Harrier.Drivers.Images;

namespace Harrier.Agent.Tests.Launch;

/// <summary>An image store that pulls nothing: it reports the scripted progress and answers with an image, or fails.</summary>
internal sealed class FakeImageStore : IImageStore
{
    public List<PullProgress> Progress { get; } = [];

    public ImagePullException? Failure { get; set; }

    public Dictionary<string, string> InUse { get; } = [];

    public int Collections { get; private set; }

    public Task<PulledImage> PullAsync(string reference, bool forcePull, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        foreach (var p in Progress)
        {
            progress?.Report(p);
        }
        if (Failure is not null)
        {
            throw Failure;
        }
        return Task.FromResult(new PulledImage("docker.io/" + reference, "sha256:m", "sha256:c", new ImageConfig(), ["/layers/1"], 10));
    }

    public void Use(PulledImage image, string taskId) => InUse[taskId] = image.Reference;

    public void Release(string taskId) => InUse.Remove(taskId);

    public IReadOnlyList<StoredImage> List() => [];

    public bool Remove(string referenceOrDigest) => false;

    public long CollectGarbage()
    {
        Collections++;
        return 0;
    }
}
