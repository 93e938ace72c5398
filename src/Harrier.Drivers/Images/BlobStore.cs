using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Harrier.Drivers.Images;

/// <summary>
/// Content-addressed blobs under <c>blobs/sha256/&lt;hex&gt;</c>. A blob is streamed into a temporary file in the
/// same directory while it is hashed, checked against its digest and size, flushed to disk and renamed into place:
/// a file under a digest name is always complete and verified. Concurrent requests for one digest share one
/// download, which runs to completion (or the store's shutdown) even when the caller that started it gives up.
/// </summary>
internal sealed partial class BlobStore
{
    private const int BufferSize = 1 << 20;
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly CancellationToken _shutdown;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _downloads = new();

    public BlobStore(string root, ILogger logger, CancellationToken shutdown)
    {
        _directory = Path.Combine(root, "blobs", "sha256");
        _logger = logger;
        _shutdown = shutdown;
        Directory.CreateDirectory(_directory);
        foreach (var temp in Directory.EnumerateFiles(_directory, "*.tmp-*"))
        {
            File.Delete(temp); // left by a crash mid-download
        }
    }

    /// <summary>Where the blob lives (whether or not it is there). Only sha256 digests are accepted.</summary>
    /// <summary>Cancelled when the store is disposed: downloads shared by several pulls stop only then.</summary>
    public CancellationToken Shutdown => _shutdown;

    public string PathOf(string digest) => Path.Combine(_directory, Hex(digest));

    public bool Contains(string digest) => File.Exists(PathOf(digest));

    public IEnumerable<string> List() =>
        Directory.EnumerateFiles(_directory).Select(Path.GetFileName).Where(n => n!.Length == 64).Select(n => "sha256:" + n);

    public long Delete(string digest)
    {
        var file = new FileInfo(PathOf(digest));
        if (!file.Exists)
        {
            return 0;
        }
        var length = file.Length;
        file.Delete();
        return length;
    }

    /// <summary>Returns the blob's path, downloading it through <paramref name="open"/> when missing.</summary>
    /// <param name="bytesRead">Told of each chunk read (only for the caller whose request started the download).</param>
    public async Task<string> GetAsync(string digest, long size, Func<CancellationToken, Task<Stream>> open, Action<long>? bytesRead, CancellationToken cancellationToken)
    {
        var path = PathOf(digest);
        if (File.Exists(path))
        {
            return path;
        }
        var download = _downloads.GetOrAdd(digest, d => new Lazy<Task<string>>(() => DownloadAsync(d, size, open, bytesRead)));
        return await download.Value.WaitAsync(cancellationToken);
    }

    private async Task<string> DownloadAsync(string digest, long size, Func<CancellationToken, Task<Stream>> open, Action<long>? bytesRead)
    {
        await Task.Yield(); // never run the download on the caller's stack inside GetOrAdd's factory
        var path = PathOf(digest);
        var temp = path + ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            await using (var source = await open(_shutdown))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), _shutdown)) > 0)
                {
                    total += read;
                    if (total > size)
                    {
                        throw Invalid(digest, $"is longer than the {size} bytes its descriptor says");
                    }
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), _shutdown);
                    bytesRead?.Invoke(read);
                }
                if (total != size)
                {
                    throw Invalid(digest, $"was cut short: {total} of {size} bytes");
                }
                var actual = "sha256:" + Convert.ToHexStringLower(hash.GetCurrentHash());
                if (actual != digest)
                {
                    throw Invalid(digest, $"does not match its digest (got {actual})");
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            NativeMethods.SyncDirectory(_directory, wholeFileSystem: false);
            LogDownloaded(_logger, digest, total);
            return path;
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            File.Delete(temp);
            throw new ImageStoreException(ImagePullFailure.DiskFull, $"no space left on the device of the image store ({_directory})", e);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            // Only this download can have put the entry there, and no other can be added while it is there.
            _downloads.TryRemove(digest, out _);
        }
    }

    internal static bool IsDiskFull(IOException e) =>
        e.HResult == NativeMethods.ENOSPC || (e.HResult & 0xFFFF) == 0x70 || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);

    private static ImageStoreException Invalid(string digest, string what) =>
        new(ImagePullFailure.InvalidContent, $"blob {digest} {what}");

    private static string Hex(string digest)
    {
        if (!digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71 || digest.AsSpan(7).ContainsAnyExcept(HexDigits))
        {
            throw new ImageStoreException(ImagePullFailure.InvalidContent, $"unsupported or malformed digest '{digest}'");
        }
        return digest[7..];
    }

    [LoggerMessage(EventId = 2111, Level = LogLevel.Debug, Message = "Downloaded blob {Digest} ({Bytes} bytes)")]
    private static partial void LogDownloaded(ILogger logger, string digest, long bytes);
}
