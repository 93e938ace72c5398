using Harrier.Core.Images;
using Microsoft.Extensions.Logging;

namespace Harrier.Drivers.Images;

/// <summary>
/// The agent's image store (see <see cref="IImageStore"/>). Owns <c>blobs/</c> (verified blobs: image configs, and
/// layer blobs until unpacked), <c>layers/</c> (each layer unpacked once, named by diff_id) and <c>images/</c> (one
/// record per reference). Records and in-use marks are guarded by one lock; downloads and unpacking run outside it.
/// Invariant: a layer directory or blob is deleted only when no record references it and no running pull has
/// pinned it. Failure: every pull failure is an <see cref="ImagePullException"/>; what a failed pull leaves is only
/// complete, verified blobs and layers, which the next pull reuses or garbage collection removes.
/// </summary>
public sealed partial class ImageStore : IImageStore, IDisposable
{
    private readonly ImageStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly RegistryClient _registry;
    private readonly BlobStore _blobs;
    private readonly ImagePuller _puller;
    private readonly ImageRecordFiles _files;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ImageRecord> _records;
    private readonly Dictionary<string, string> _taskImages = [];
    private readonly Dictionary<string, int> _pins = [];

    public ImageStore(ImageStoreOptions options, ILogger logger, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        var layers = Path.Combine(options.Root, "layers");
        Directory.CreateDirectory(layers);
        foreach (var temp in Directory.EnumerateDirectories(layers, "*.tmp-*"))
        {
            LayerUnpacker.DeleteQuietly(temp); // a crash mid-unpack
        }
        _registry = new RegistryClient(options, DockerCredentials.Load(options.DockerConfigPath), _time);
        _blobs = new BlobStore(options.Root, logger, _shutdown.Token);
        _puller = new ImagePuller(_registry, _blobs, new LayerUnpacker(logger), options, logger);
        _files = new ImageRecordFiles(Path.Combine(options.Root, "images"));
        _records = _files.LoadAll().ToDictionary(r => r.Reference);
    }

    public async Task<PulledImage> PullAsync(string reference, bool forcePull, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(reference, out var image, out var error))
        {
            throw new ImagePullException(reference, ImagePullFailure.InvalidReference, error);
        }
        var name = image.ToString();
        lock (_lock)
        {
            if (!forcePull && _records.TryGetValue(name, out var present) && present.Layers.All(l => Directory.Exists(_puller.LayerDirectory(l.Key))))
            {
                return ToPulled(present);
            }
        }
        var pinned = new List<string>();
        try
        {
            var (manifest, config, layers) = await _puller.PullAsync(image, keys => Pin(pinned, keys), KnownLayerSize, progress, cancellationToken);
            var record = new ImageRecord(name, manifest.Digest, manifest.Config.Digest, config, layers, _time.GetUtcNow());
            lock (_lock)
            {
                _records[name] = record;
                _files.Write(record);
            }
            LogPulled(_logger, name, manifest.Digest, record.Size);
            return ToPulled(record);
        }
        catch (ImageStoreException e)
        {
            throw new ImagePullException(name, e.Failure, e.Cause, e);
        }
        catch (IOException e) when (BlobStore.IsDiskFull(e))
        {
            throw new ImagePullException(name, ImagePullFailure.DiskFull, $"no space left on the device of the image store ({_options.Root})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImagePullException(name, ImagePullFailure.StoreError, $"the image store cannot write its files: {e.Message}", e);
        }
        finally
        {
            Unpin(pinned);
        }
    }

    public void Use(PulledImage image, string taskId)
    {
        lock (_lock)
        {
            _taskImages[taskId] = image.Reference;
            if (_records.TryGetValue(image.Reference, out var record))
            {
                _records[image.Reference] = record with { LastUsed = _time.GetUtcNow() };
                _files.Write(_records[image.Reference]);
            }
        }
    }

    public void Release(string taskId)
    {
        lock (_lock)
        {
            _taskImages.Remove(taskId);
        }
    }

    public IReadOnlyList<StoredImage> List()
    {
        lock (_lock)
        {
            return [.. _records.Values.OrderBy(r => r.Reference, StringComparer.Ordinal).Select(r => new StoredImage(
                r.Reference, r.ManifestDigest, r.ConfigDigest, r.Size, r.LastUsed, UsersOf(r.Reference)))];
        }
    }

    public bool Remove(string referenceOrDigest)
    {
        var reference = ImageReference.TryParse(referenceOrDigest, out var parsed, out _) ? parsed.ToString() : null;
        lock (_lock)
        {
            var matches = _records.Values.Where(r => r.Reference == reference || r.ManifestDigest == referenceOrDigest || r.ConfigDigest == referenceOrDigest).ToList();
            if (matches.Count == 0)
            {
                return false;
            }
            if (matches.FirstOrDefault(r => UsersOf(r.Reference).Count > 0) is { } used)
            {
                throw new InvalidOperationException($"Image '{used.Reference}' is in use by task(s) {string.Join(", ", UsersOf(used.Reference))}");
            }
            foreach (var record in matches)
            {
                Forget(record);
            }
            DeleteUnreferenced(matches);
            return true;
        }
    }

    public long CollectGarbage()
    {
        lock (_lock)
        {
            var layerSizes = _records.Values.SelectMany(r => r.Layers).DistinctBy(l => l.Key).ToDictionary(l => l.Key, l => l.Size);
            var total = layerSizes.Values.Sum();
            var removed = new List<ImageRecord>();
            foreach (var record in _records.Values.Where(r => UsersOf(r.Reference).Count == 0).OrderBy(r => r.LastUsed).ToList())
            {
                if (total <= _options.GcThresholdBytes)
                {
                    break;
                }
                Forget(record);
                removed.Add(record);
                var stillUsed = _records.Values.SelectMany(r => r.Layers).Select(l => l.Key).Concat(_pins.Keys).ToHashSet();
                foreach (var layer in record.Layers.Where(l => !stillUsed.Contains(l.Key)))
                {
                    total -= layerSizes.Remove(layer.Key, out var size) ? size : 0;
                }
                LogCollected(_logger, record.Reference, record.LastUsed);
            }
            return DeleteUnreferenced(removed);
        }
    }

    public void Dispose()
    {
        _shutdown.Cancel();
        _registry.Dispose();
        _shutdown.Dispose();
    }

    private PulledImage ToPulled(ImageRecord record) => new(record.Reference, record.ManifestDigest, record.ConfigDigest, record.Config,
        [.. record.Layers.Select(l => _puller.LayerDirectory(l.Key))], record.Size);

    private List<string> UsersOf(string reference) =>
        [.. _taskImages.Where(p => p.Value == reference).Select(p => p.Key).Order(StringComparer.Ordinal)];

    private void Forget(ImageRecord record)
    {
        _records.Remove(record.Reference);
        _files.Delete(record.Reference);
    }

    /// <summary>Deletes layer directories and blobs that no record references and no pull has pinned. Called under the lock.</summary>
    private long DeleteUnreferenced(IEnumerable<ImageRecord> removed)
    {
        var keep = _records.Values.SelectMany(r => r.Layers.Select(l => l.Key).Append(r.ConfigDigest)).Concat(_pins.Keys).ToHashSet();
        var sizes = removed.SelectMany(r => r.Layers).DistinctBy(l => l.Key).ToDictionary(l => l.Key, l => l.Size);
        long freed = 0;
        foreach (var directory in Directory.EnumerateDirectories(Path.Combine(_options.Root, "layers")).ToList())
        {
            var key = Path.GetFileName(directory);
            if (key.Contains(".tmp-", StringComparison.Ordinal) || keep.Contains(key))
            {
                continue; // a temporary directory belongs to a running unpack
            }
            freed += sizes.TryGetValue(key, out var size) ? size : ImagePuller.DirectorySize(directory);
            LayerUnpacker.DeleteQuietly(directory);
        }
        foreach (var digest in _blobs.List().Where(d => !keep.Contains(d)).ToList())
        {
            freed += _blobs.Delete(digest);
        }
        return freed;
    }

    private void Pin(List<string> pinned, IEnumerable<string> keys)
    {
        lock (_lock)
        {
            foreach (var key in keys)
            {
                _pins[key] = _pins.GetValueOrDefault(key) + 1;
                pinned.Add(key);
            }
        }
    }

    private void Unpin(List<string> pinned)
    {
        lock (_lock)
        {
            foreach (var key in pinned)
            {
                if (--_pins[key] == 0)
                {
                    _pins.Remove(key);
                }
            }
        }
    }

    private long? KnownLayerSize(string key)
    {
        lock (_lock)
        {
            return _records.Values.SelectMany(r => r.Layers).FirstOrDefault(l => l.Key == key)?.Size;
        }
    }

    [LoggerMessage(EventId = 2131, Level = LogLevel.Information, Message = "Pulled {Image} ({Digest}, {Bytes} bytes unpacked)")]
    private static partial void LogPulled(ILogger logger, string image, string digest, long bytes);

    [LoggerMessage(EventId = 2132, Level = LogLevel.Information, Message = "Garbage collection removed {Image} (last used {LastUsed})")]
    private static partial void LogCollected(ILogger logger, string image, DateTimeOffset lastUsed);
}
