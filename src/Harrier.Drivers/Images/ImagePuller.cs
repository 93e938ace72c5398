using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Harrier.Core.Images;
using Microsoft.Extensions.Logging;

namespace Harrier.Drivers.Images;

/// <summary>
/// One pull: resolves the manifest (through an index to linux/amd64), gets the config, and makes sure every layer
/// is unpacked, downloading only layers whose directory is missing. Layers go three at a time, as Docker does;
/// concurrent pulls needing one layer share its download and unpack. A layer's blob is deleted once unpacked: the
/// directory is what containers use, and keeping both would double the disk the store takes.
/// </summary>
internal sealed partial class ImagePuller(RegistryClient registry, BlobStore blobs, LayerUnpacker unpacker, ImageStoreOptions options, ILogger logger)
{
    private const int ParallelLayers = 3;

    private const int ReadBufferSize = 1 << 20;

    private readonly string _layersDirectory = Path.Combine(options.Root, "layers");
    private readonly ConcurrentDictionary<string, Lazy<Task<long>>> _unpacking = new();

    public string LayerDirectory(string key) => Path.Combine(_layersDirectory, key);

    /// <param name="pin">Called with the layer keys and blob digests the pull needs, before it looks for them, so
    /// garbage collection leaves them alone while the pull runs.</param>
    /// <param name="knownSize">The unpacked size of a layer already in the store, when a record knows it.</param>
    public async Task<(ImageManifest Manifest, ImageConfig Config, IReadOnlyList<LayerRecord> Layers)> PullAsync(ImageReference image,
        Action<IEnumerable<string>> pin, Func<string, long?> knownSize, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var (endpoint, manifest) = await ResolveAsync(image, cancellationToken);
        if (manifest.Config.Size > options.MaxManifestBytes)
        {
            throw new ImageStoreException(ImagePullFailure.InvalidContent, $"the image config is larger than the {options.MaxManifestBytes} byte limit");
        }
        pin([manifest.Config.Digest, .. manifest.Layers.Select(l => l.Digest)]);
        var configPath = await blobs.GetAsync(manifest.Config.Digest, manifest.Config.Size,
            ct => registry.OpenBlobAsync(endpoint, image.Repository, manifest.Config.Digest, ct), null, cancellationToken);
        var (config, diffIds) = ImageConfigParser.Parse(await File.ReadAllBytesAsync(configPath, cancellationToken));
        if (diffIds.Count > 0 && diffIds.Count != manifest.Layers.Count)
        {
            throw new ImageStoreException(ImagePullFailure.InvalidContent, $"the manifest has {manifest.Layers.Count} layers but the config {diffIds.Count} diff_ids");
        }
        var layers = manifest.Layers.Select((l, i) => new LayerRecord(l.Digest, diffIds.Count > 0 ? diffIds[i] : null, l.Size, 0)).ToArray();
        pin(layers.Select(l => l.Key));

        var progressState = new PullProgressCounter(image.ToString(), layers.Length, layers.Sum(l => l.CompressedSize), progress);
        var sizes = new long[layers.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, layers.Length),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelLayers, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var layer = layers[i];
                var directory = LayerDirectory(layer.Key);
                if (Directory.Exists(directory))
                {
                    sizes[i] = knownSize(layer.Key) ?? DirectorySize(directory);
                    progressState.LayerDone(layer.CompressedSize);
                    return;
                }
                long read = 0; // stays 0 when another pull's download is shared: the bytes are counted at the end
                var unpack = _unpacking.GetOrAdd(layer.Key, _ => new Lazy<Task<long>>(() =>
                    DownloadAndUnpackAsync(endpoint, image, layer, directory, bytes =>
                    {
                        read += bytes;
                        progressState.BytesRead(bytes);
                    })));
                // Not the loop's token: when a sibling layer fails, this one still finishes (or fails) before the pull throws,
                // so a failed pull leaves no work running behind it. Only the caller cancels the wait.
                sizes[i] = await unpack.Value.WaitAsync(cancellationToken);
                progressState.LayerDone(layer.CompressedSize - read);
            });
        return (manifest, config, [.. layers.Select((l, i) => l with { Size = sizes[i] })]);
    }

    private async Task<long> DownloadAndUnpackAsync(RegistryEndpoint endpoint, ImageReference image, LayerRecord layer, string directory, Action<long> bytesRead)
    {
        try
        {
            // The download and unpack may be shared by other pulls: they finish even if this caller is cancelled.
            // A layer is unpacked as it arrives (no compressed copy on disk) and verified before it is renamed into
            // place; a blob already in the store (an older store) is unpacked from there.
            await Task.Yield();
            if (blobs.Contains(layer.Digest))
            {
                var size = await unpacker.UnpackAsync(blobs.PathOf(layer.Digest), directory, layer.DiffId, CancellationToken.None);
                blobs.Delete(layer.Digest);
                return size;
            }
            await using var source = await registry.OpenBlobAsync(endpoint, image.Repository, layer.Digest, blobs.Shutdown);
            await using var verifying = new VerifyingBlobStream(source, layer.Digest, layer.CompressedSize, bytesRead);
            // The decompressor reads a few KiB at a time; the buffer makes the registry reads (each with its stall timer)
            // and the digest updates a hundredfold fewer.
            await using var buffered = new BufferedStream(verifying, ReadBufferSize);
            return await unpacker.UnpackAsync(buffered, layer.Digest, directory, layer.DiffId, verifying.VerifyAsync, blobs.Shutdown);
        }
        finally
        {
            _unpacking.TryRemove(layer.Key, out _);
        }
    }

    /// <summary>Finds the manifest on the first endpoint that has it; a mirror that fails hands over to the next.</summary>
    private async Task<(RegistryEndpoint, ImageManifest)> ResolveAsync(ImageReference image, CancellationToken cancellationToken)
    {
        var endpoints = registry.EndpointsFor(image);
        for (var i = 0; ; i++)
        {
            try
            {
                return (endpoints[i], await GetManifestAsync(endpoints[i], image, cancellationToken));
            }
            catch (ImageStoreException e) when (i < endpoints.Count - 1 &&
                e.Failure is ImagePullFailure.NotFound or ImagePullFailure.Unauthorized or ImagePullFailure.RegistryUnavailable)
            {
                LogMirrorFailed(logger, endpoints[i].BaseUri, image.ToString(), e.Cause);
            }
        }
    }

    private async Task<ImageManifest> GetManifestAsync(RegistryEndpoint endpoint, ImageReference image, CancellationToken cancellationToken)
    {
        var (body, contentType) = await registry.GetManifestAsync(endpoint, image.Repository, image.ManifestReference, cancellationToken);
        var digest = Verify(body, image.Digest);
        using var document = Parse(body);
        var mediaType = ManifestParser.MediaTypeOf(document.RootElement, contentType);
        if (ManifestMediaTypes.IsIndex(mediaType))
        {
            var picked = ManifestParser.PickPlatform(document.RootElement) ?? throw new ImageStoreException(ImagePullFailure.NoMatchingPlatform,
                $"no manifest for {ManifestParser.OperatingSystem}/{ManifestParser.Architecture} in the index (it has {ManifestParser.Platforms(document.RootElement)})");
            (body, contentType) = await registry.GetManifestAsync(endpoint, image.Repository, picked.Digest, cancellationToken);
            digest = Verify(body, picked.Digest);
            using var inner = Parse(body);
            mediaType = ManifestParser.MediaTypeOf(inner.RootElement, contentType);
            return ManifestMediaTypes.IsManifest(mediaType)
                ? ManifestParser.ReadManifest(digest, inner.RootElement)
                : throw ManifestParser.Invalid($"picked from the index has the unsupported media type '{mediaType}'");
        }
        return ManifestMediaTypes.IsManifest(mediaType)
            ? ManifestParser.ReadManifest(digest, document.RootElement)
            : throw ManifestParser.Invalid($"has the unsupported media type '{mediaType}'");
    }

    private static string Verify(byte[] body, string? expected)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        return expected is null || digest == expected
            ? digest
            : throw new ImageStoreException(ImagePullFailure.InvalidContent, $"the manifest served for {expected} has the digest {digest}");
    }

    private static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ImageStoreException(ImagePullFailure.InvalidContent, $"the manifest is not valid JSON: {e.Message}", e);
        }
    }

    internal static long DirectorySize(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => f.LinkTarget is null).Sum(f => f.Length);

    [LoggerMessage(EventId = 2121, Level = LogLevel.Warning, Message = "Registry {Endpoint} failed for {Image}, trying the next: {Cause}")]
    private static partial void LogMirrorFailed(ILogger logger, Uri endpoint, string image, string cause);
}
