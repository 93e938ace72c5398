using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using Harrier.Linux;

namespace Harrier.Agent;

/// <summary>
/// Unpacks a fetched archive (tar, optionally gzip/bzip2/xz compressed, or zip) into a directory of the sandbox.
/// Every entry is written through <see cref="BeneathDirectory"/>: an absolute name or one with <c>..</c> fails the
/// fetch, a name that passes through a link (one an earlier entry planted, say) fails it too, links are created but
/// never followed, hard links may only point at entries inside the sandbox, devices and FIFOs are skipped, and
/// set-id bits are dropped. The compression is read from the content, as tar(1) does.
/// </summary>
internal static class ArchiveExtractor
{
    private const uint DefaultFileMode = 0b110_100_100;
    private static readonly byte[] XzMagic = [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0];

    public static async Task ExtractAsync(Stream archive, string name, BeneathDirectory root, string directory, CancellationToken cancellationToken)
    {
        if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            await ExtractZipAsync(archive, root, directory, cancellationToken);
            return;
        }
        var magic = new byte[6];
        var read = await archive.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
        archive.Position = 0;
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            await using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
            await ExtractTarAsync(gzip, root, directory, cancellationToken);
        }
        else if (read >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h')
        {
            await ThroughDecompressorAsync("bzip2", archive, root, directory, cancellationToken);
        }
        else if (read >= 6 && magic.AsSpan().SequenceEqual(XzMagic))
        {
            await ThroughDecompressorAsync("xz", archive, root, directory, cancellationToken);
        }
        else
        {
            await ExtractTarAsync(archive, root, directory, cancellationToken);
        }
    }

    /// <summary>The entry's path relative to the sandbox; throws when the name could leave the extraction directory.</summary>
    internal static string Target(string directory, string entryName)
    {
        if (BeneathDirectory.Components(entryName) is null)
        {
            throw new IOException($"archive entry '{entryName}' would be written outside the sandbox");
        }
        return directory.Length == 0 ? entryName : directory + "/" + entryName;
    }

    private static async Task ExtractTarAsync(Stream tar, BeneathDirectory root, string directory, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (BeneathDirectory.Components(entry.Name) is { Length: 0 })
            {
                continue; // "./": the extraction directory itself
            }
            var path = Target(directory, entry.Name);
            var mode = (uint)entry.Mode & 0x1FF;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    root.CreateDirectory(path, mode | 0b111_000_000);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    await using (var file = root.CreateFile(path, mode))
                    {
                        if (entry.DataStream is { } data)
                        {
                            await data.CopyToAsync(file, cancellationToken);
                        }
                    }
                    break;
                case TarEntryType.SymbolicLink:
                    root.CreateSymlink(path, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    root.CreateHardLink(path, Target(directory, entry.LinkName));
                    break;
                default:
                    // Devices, FIFOs and metadata entries: nothing a task's files need, nothing to create as root.
                    break;
            }
        }
    }

    private static async Task ExtractZipAsync(Stream archive, BeneathDirectory root, string directory, CancellationToken cancellationToken)
    {
        await using var zip = new ZipArchive(archive, ZipArchiveMode.Read, leaveOpen: true);
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName.Replace('\\', '/');
            if (BeneathDirectory.Components(name) is { Length: 0 })
            {
                continue;
            }
            var path = Target(directory, name);
            if (name.EndsWith('/'))
            {
                root.CreateDirectory(path);
                continue;
            }
            // Unix permissions live in the high half of the external attributes; a symbolic link is written as a
            // regular file holding its target, as .NET's own extraction does.
            var mode = (uint)(entry.ExternalAttributes >> 16) & 0x1FF;
            await using var file = root.CreateFile(path, mode == 0 ? DefaultFileMode : mode);
            await using var data = await entry.OpenAsync(cancellationToken);
            await data.CopyToAsync(file, cancellationToken);
        }
    }

    /// <summary>bzip2 and xz have no decompressor in .NET: the system's reads the archive on stdin.</summary>
    private static async Task ThroughDecompressorAsync(string tool, Stream archive, BeneathDirectory root, string directory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-dc");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException($"cannot start {tool}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"extracting needs '{tool}': {e.Message}", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            var feed = Task.Run(async () =>
            {
                try
                {
                    await archive.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
                }
                catch (IOException)
                {
                    // The decompressor stopped reading (it failed): its exit status says why.
                }
                finally
                {
                    process.StandardInput.Close();
                }
            }, cancellationToken);
            try
            {
                await ExtractTarAsync(process.StandardOutput.BaseStream, root, directory, cancellationToken);
                // Whatever follows the end-of-archive marker (record padding) is drained so the decompressor can end.
                await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
                await feed;
                await process.WaitForExitAsync(cancellationToken);
            }
            catch
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
                throw;
            }
            if (process.ExitCode != 0)
            {
                throw new IOException($"extracting failed: {(await error).Trim()}");
            }
        }
    }
}
