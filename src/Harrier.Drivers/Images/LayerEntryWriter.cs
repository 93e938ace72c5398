using System.Formats.Tar;
using Microsoft.Extensions.Logging;

namespace Harrier.Drivers.Images;

/// <summary>
/// Writes the entries of one layer tar under a private directory, entry by entry, so that nothing is ever written
/// outside it. Invariant: before an entry is created, every parent component was checked to be a real directory
/// (not a symlink) and whatever was at the entry's own path was removed, so a link the layer itself planted is
/// never followed. Regular files are created with O_EXCL, which also refuses a link planted in between.
/// </summary>
internal sealed partial class LayerEntryWriter(string root, ILogger logger)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private static readonly byte[] OpaqueValue = "y"u8.ToArray();

    private readonly bool _privileged = Environment.IsPrivilegedProcess;
    private readonly List<(string Path, DateTime ModifiedUtc)> _directoryTimes = [];

    /// <summary>Bytes of regular file content written.</summary>
    public long Size { get; private set; }

    private enum PathKind { Missing, Directory, Symlink, Other }

    public async Task WriteAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var components = LayerPath.Components(entry.Name);
        if (components.Length == 0)
        {
            return; // "./": the layer root itself, whose metadata the store owns
        }
        var name = components[^1];
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            WriteWhiteout(entry.Name, components);
            return;
        }
        var parent = EnsureParents(entry.Name, components);
        var path = Path.Join(parent, name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (Kind(path) != PathKind.Directory)
                {
                    RemoveExisting(path);
                    Directory.CreateDirectory(path);
                }
                SetOwnerAndMode(path, entry);
                _directoryTimes.Add((path, entry.ModificationTime.UtcDateTime));
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                RemoveExisting(path);
                await WriteFileAsync(path, entry, cancellationToken);
                SetOwnerAndMode(path, entry);
                File.SetLastWriteTimeUtc(path, entry.ModificationTime.UtcDateTime);
                break;
            case TarEntryType.SymbolicLink:
                // The target is not checked: it is resolved inside the container's rootfs at run time, never here.
                RemoveExisting(path);
                File.CreateSymbolicLink(path, entry.LinkName);
                Chown(path, entry);
                break;
            case TarEntryType.HardLink:
                var target = ResolveHardLinkTarget(entry);
                RemoveExisting(path);
                NativeMethods.Check(NativeMethods.link(target, path), "link", path);
                break;
            default:
                LogSkipped(logger, entry.Name, entry.EntryType);
                break;
        }
    }

    /// <summary>Sets directory times last, since creating entries inside a directory changes its mtime.</summary>
    public void Finish()
    {
        for (var i = _directoryTimes.Count - 1; i >= 0; i--)
        {
            Directory.SetLastWriteTimeUtc(_directoryTimes[i].Path, _directoryTimes[i].ModifiedUtc);
        }
    }

    private async Task WriteFileAsync(string path, TarEntry entry, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        await using var file = new FileStream(path, options);
        if (entry.DataStream is { } data)
        {
            await data.CopyToAsync(file, cancellationToken);
            Size += entry.Length;
        }
    }

    /// <summary>
    /// <c>.wh.NAME</c> hides NAME of the layers below: overlayfs reads a 0:0 character device as a whiteout.
    /// <c>.wh..wh..opq</c> hides everything below in its directory: overlayfs reads the opaque xattr.
    /// </summary>
    private void WriteWhiteout(string entryName, string[] components)
    {
        var name = components[^1];
        if (name == OpaqueMarker)
        {
            var directory = EnsureParents(entryName, components);
            NativeMethods.Check(NativeMethods.lsetxattr(directory, "trusted.overlay.opaque", OpaqueValue, (nuint)OpaqueValue.Length, 0), "setxattr", directory);
            return;
        }
        if (name.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
        {
            LogSkipped(logger, entryName, TarEntryType.RegularFile); // aufs metadata (.wh..wh.plnk and the like)
            return;
        }
        var hidden = name[WhiteoutPrefix.Length..];
        if (hidden is "" or "." or "..")
        {
            throw LayerPath.Unsafe(entryName, "is a whiteout of no valid name");
        }
        var path = Path.Join(EnsureParents(entryName, components), hidden);
        RemoveExisting(path);
        NativeMethods.Check(NativeMethods.mknod(path, NativeMethods.S_IFCHR, 0), "mknod (whiteout)", path);
    }

    /// <summary>Creates missing parents; refuses a parent that exists but is a symlink or not a directory.</summary>
    private string EnsureParents(string entryName, string[] components)
    {
        var path = root;
        for (var i = 0; i < components.Length - 1; i++)
        {
            path = Path.Join(path, components[i]);
            switch (Kind(path))
            {
                case PathKind.Directory:
                    break;
                case PathKind.Missing:
                    Directory.CreateDirectory(path);
                    NativeMethods.Check(NativeMethods.chmod(path, 0b111_101_101), "chmod", path);
                    break;
                default:
                    throw LayerPath.Unsafe(entryName, $"would be written through '{string.Join('/', components[..(i + 1)])}', which is not a directory");
            }
        }
        return path;
    }

    /// <summary>A hard link's target must be an entry of this layer already written, reached without links.</summary>
    private string ResolveHardLinkTarget(TarEntry entry)
    {
        var components = LayerPath.Components(entry.LinkName);
        var path = root;
        for (var i = 0; i < components.Length; i++)
        {
            path = Path.Join(path, components[i]);
            var kind = Kind(path);
            var last = i == components.Length - 1;
            if ((!last && kind != PathKind.Directory) || (last && kind is PathKind.Missing or PathKind.Directory))
            {
                throw LayerPath.Unsafe(entry.Name, $"is a hard link to '{entry.LinkName}', which is not a file already in the layer");
            }
        }
        return components.Length == 0 ? throw LayerPath.Unsafe(entry.Name, "is a hard link to the layer root") : path;
    }

    private static void RemoveExisting(string path)
    {
        switch (Kind(path))
        {
            case PathKind.Directory:
                Directory.Delete(path, recursive: true); // unlinks symlinks inside, never follows them
                break;
            case PathKind.Symlink or PathKind.Other:
                File.Delete(path);
                break;
        }
    }

    private void SetOwnerAndMode(string path, TarEntry entry)
    {
        Chown(path, entry);
        // After chown: changing the owner clears setuid/setgid bits.
        NativeMethods.Check(NativeMethods.chmod(path, (uint)entry.Mode), "chmod", path);
    }

    private void Chown(string path, TarEntry entry)
    {
        if (_privileged)
        {
            NativeMethods.Check(NativeMethods.lchown(path, entry.Uid, entry.Gid), "lchown", path);
        }
    }

    /// <summary>lstat semantics: a symlink is reported as one whatever it points to.</summary>
    private static PathKind Kind(string path)
    {
        var attributes = new FileInfo(path).Attributes;
        if ((int)attributes == -1)
        {
            return PathKind.Missing;
        }
        if (attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return PathKind.Symlink;
        }
        return attributes.HasFlag(FileAttributes.Directory) ? PathKind.Directory : PathKind.Other;
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Layer entry {Entry} ({Type}) skipped")]
    private static partial void LogSkipped(ILogger logger, string entry, TarEntryType type);
}
