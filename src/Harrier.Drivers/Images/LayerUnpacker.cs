using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ZstdSharp;

namespace Harrier.Drivers.Images;

/// <summary>
/// Unpacks a layer (tar, tar+gzip or tar+zstd, recognised by its magic bytes like Docker does) into a layer directory,
/// from a verified blob on disk or straight from the registry's stream (verified before the rename). It writes into a temporary sibling and renames it into place only when every entry is written,
/// the uncompressed stream matched its diff_id and the files are on disk, so a directory under its final name is
/// always a complete layer. On any failure the temporary directory is deleted.
/// </summary>
internal sealed partial class LayerUnpacker(ILogger logger)
{
    private static readonly byte[] GzipMagic = [0x1f, 0x8b];
    private static readonly byte[] ZstdMagic = [0x28, 0xb5, 0x2f, 0xfd];

    /// <summary>Unpacks <paramref name="blobPath"/> into <paramref name="layerDirectory"/> (which must not exist yet)
    /// and returns the bytes of file content written.</summary>
    /// <param name="expectedDiffId">The config's <c>rootfs.diff_ids</c> entry; null when the config has none.</param>
    public async Task<long> UnpackAsync(string blobPath, string layerDirectory, string? expectedDiffId, CancellationToken cancellationToken)
    {
        await using var blob = File.OpenRead(blobPath);
        return await UnpackAsync(blob, Path.GetFileName(blobPath), layerDirectory, expectedDiffId, _ => Task.CompletedTask, cancellationToken);
    }

    /// <summary>
    /// Unpacks a layer as it is read from <paramref name="blob"/> (compressed or not); <paramref name="verify"/> runs
    /// after the last entry and before the directory is renamed into place (the blob's own digest check), so a layer
    /// that fails it leaves nothing behind.
    /// </summary>
    public async Task<long> UnpackAsync(Stream blob, string name, string layerDirectory, string? expectedDiffId, Func<CancellationToken, Task> verify, CancellationToken cancellationToken)
    {
        var temp = layerDirectory + ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        Directory.CreateDirectory(temp);
        try
        {
            var writer = new LayerEntryWriter(temp, logger);
            string diffId;
            await using (var hashing = new HashingReadStream(await DecompressAsync(blob, cancellationToken)))
            {
                await using (var reader = new TarReader(hashing, leaveOpen: true))
                {
                    while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                    {
                        await writer.WriteAsync(entry, cancellationToken);
                    }
                }
                // The reader stops at the first end-of-archive block; the diff_id covers the whole stream.
                await hashing.CopyToAsync(Stream.Null, cancellationToken);
                diffId = hashing.Digest();
            }
            await verify(cancellationToken);
            if (expectedDiffId is not null && diffId != expectedDiffId)
            {
                throw new ImageStoreException(ImagePullFailure.InvalidContent,
                    $"layer {name} unpacks to {diffId}, but the image config says {expectedDiffId}");
            }
            writer.Finish();
            NativeMethods.SyncDirectory(temp, wholeFileSystem: true);
            Directory.Move(temp, layerDirectory);
            NativeMethods.SyncDirectory(Path.GetDirectoryName(layerDirectory)!, wholeFileSystem: false);
            LogUnpacked(logger, layerDirectory, writer.Size);
            return writer.Size;
        }
        catch (Exception e) when (e is InvalidDataException or ZstdException or EndOfStreamException or FormatException)
        {
            DeleteQuietly(temp);
            throw new ImageStoreException(ImagePullFailure.InvalidContent, $"layer {name} is not a valid tar archive: {e.Message}", e);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    private static async Task<Stream> DecompressAsync(Stream blob, CancellationToken cancellationToken)
    {
        var peek = await PeekableStream.OpenAsync(blob, ZstdMagic.Length, cancellationToken);
        if (peek.Head.StartsWith(GzipMagic))
        {
            return new GZipStream(peek, CompressionMode.Decompress);
        }
        if (peek.Head.StartsWith(ZstdMagic))
        {
            return new DecompressionStream(peek);
        }
        return peek;
    }

    internal static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Unpacked layer {Directory} ({Bytes} bytes)")]
    private static partial void LogUnpacked(ILogger logger, string directory, long bytes);
}
