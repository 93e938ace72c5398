using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ZstdSharp;

namespace Harrier.Drivers.Images;

/// <summary>
/// Unpacks a verified layer blob (tar, tar+gzip or tar+zstd, recognised by its magic bytes like Docker does) into a
/// layer directory. It writes into a temporary sibling and renames it into place only when every entry is written,
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
        var temp = layerDirectory + ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        Directory.CreateDirectory(temp);
        try
        {
            var writer = new LayerEntryWriter(temp, logger);
            string diffId;
            await using (var blob = File.OpenRead(blobPath))
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
            if (expectedDiffId is not null && diffId != expectedDiffId)
            {
                throw new ImageStoreException(ImagePullFailure.InvalidContent,
                    $"layer {Path.GetFileName(blobPath)} unpacks to {diffId}, but the image config says {expectedDiffId}");
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
            throw new ImageStoreException(ImagePullFailure.InvalidContent, $"layer {Path.GetFileName(blobPath)} is not a valid tar archive: {e.Message}", e);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    private static async Task<Stream> DecompressAsync(Stream blob, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        var read = await blob.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
        blob.Position = 0;
        if (read >= 2 && magic.AsSpan(0, 2).SequenceEqual(GzipMagic))
        {
            return new GZipStream(blob, CompressionMode.Decompress, leaveOpen: true);
        }
        if (read >= 4 && magic.AsSpan().SequenceEqual(ZstdMagic))
        {
            return new DecompressionStream(blob, leaveOpen: true);
        }
        return blob;
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
