using System.Runtime.InteropServices;

namespace Harrier.Drivers.Images;

/// <summary>
/// The libc calls layer unpacking needs and .NET does not offer: overlayfs whiteouts (mknod of a 0:0 character
/// device), opaque directories (an xattr), ownership without following links (lchown), hard links, and flushing
/// a finished layer to disk before it is renamed into place.
/// </summary>
internal static partial class NativeMethods
{
    private const string Lib = "libc";

    public const int EEXIST = 17;
    public const int ENOSPC = 28;
    public const uint S_IFCHR = 0x2000;
    public const int O_RDONLY = 0;
    public const int O_DIRECTORY = 0x10000;
    public const int O_NOFOLLOW = 0x20000;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknod(string path, uint mode, ulong dev);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lsetxattr(string path, string name, byte[] value, nuint size, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint lgetxattr(string path, string name, byte[] value, nuint size);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, int owner, int group);

    /// <summary>Follows a symlink: only called on an entry just created as a file or directory.</summary>
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chmod(string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int link(string oldPath, string newPath);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int syncfs(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fsync(int fd);

    /// <summary>Throws an <see cref="IOException"/> carrying errno as its HResult (so ENOSPC is recognisable).</summary>
    public static void Check(int result, string what, string path)
    {
        if (result == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{what} '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    /// <summary>fsync (or syncfs) of a directory, so a rename into it or the files under it survive a power loss.</summary>
    public static void SyncDirectory(string path, bool wholeFileSystem)
    {
        var fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        Check(fd, "open", path);
        try
        {
            Check(wholeFileSystem ? syncfs(fd) : fsync(fd), "sync", path);
        }
        finally
        {
            close(fd);
        }
    }
}
