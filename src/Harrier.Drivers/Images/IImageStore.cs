namespace Harrier.Drivers.Images;

/// <summary>
/// The agent's content-addressed image store: pulls images from Docker Registry HTTP API v2 / OCI distribution
/// registries, keeps verified blobs and unpacked layers shared between images, and tracks which tasks use which
/// image so garbage collection never removes an image in use.
/// </summary>
public interface IImageStore
{
    /// <summary>
    /// Returns the image, pulling what is missing. With <paramref name="forcePull"/> the manifest is always fetched
    /// again (blobs already present are not downloaded again). Concurrent pulls of the same image or layer share one
    /// download. Throws <see cref="ImagePullException"/> on every failure.
    /// </summary>
    Task<PulledImage> PullAsync(string reference, bool forcePull, IProgress<PullProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Marks the image as used by a task (kept from GC until <see cref="Release"/>).</summary>
    void Use(PulledImage image, string taskId);

    /// <summary>The task no longer uses its image.</summary>
    void Release(string taskId);

    IReadOnlyList<StoredImage> List();

    /// <summary>Removes an image by reference or digest. False when unknown; throws InvalidOperationException when in use.</summary>
    bool Remove(string referenceOrDigest);

    /// <summary>Removes the least recently used images not in use until the store is under its size budget. Returns bytes freed.</summary>
    long CollectGarbage();
}
