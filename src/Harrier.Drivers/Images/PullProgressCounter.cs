namespace Harrier.Drivers.Images;

/// <summary>Counts a pull's progress from the layers' parallel downloads and reports it.</summary>
internal sealed class PullProgressCounter(string image, int layersTotal, long bytesTotal, IProgress<PullProgress>? progress)
{
    private int _layersDone;
    private long _bytesDone;

    public void BytesRead(long bytes) => Report(0, bytes);

    /// <param name="cachedBytes">The compressed size of a layer that was already there (counted as downloaded).</param>
    public void LayerDone(long cachedBytes) => Report(1, cachedBytes);

    private void Report(int layers, long bytes)
    {
        var layersDone = layers == 0 ? Volatile.Read(ref _layersDone) : Interlocked.Add(ref _layersDone, layers);
        var bytesDone = Interlocked.Add(ref _bytesDone, bytes);
        progress?.Report(new PullProgress(image, layersDone, layersTotal, Math.Min(bytesDone, bytesTotal), bytesTotal));
    }
}
