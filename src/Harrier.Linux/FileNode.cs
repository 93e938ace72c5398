using System.Runtime.InteropServices;

namespace Harrier.Linux;

/// <summary>
/// lstat-level facts about a path that .NET's file APIs do not expose: the file type with device numbers (an
/// overlayfs whiteout is a character device 0:0) and extended attributes (an opaque overlayfs directory).
/// </summary>
public static unsafe class FileNode
{
    private const uint TypeMask = 0xF000;

    /// <summary>The file type bits (S_IFMT) of <paramref name="path"/> without following a final symlink; null if absent.</summary>
    public static UnixFileType? TypeOf(string path) => Stat(path) is { } s ? s.Type : null;

    /// <summary>True for an overlayfs whiteout: a character device with device number 0:0.</summary>
    public static bool IsWhiteout(string path) => Stat(path) is { Type: UnixFileType.CharacterDevice, Major: 0, Minor: 0 };

    /// <summary>True when the extended attribute <paramref name="name"/> of the path (not followed) equals <paramref name="value"/>.</summary>
    public static bool HasAttribute(string path, string name, string value)
    {
        var buffer = stackalloc byte[64];
        var n = Libc.lgetxattr(path, name, buffer, 64);
        return n > 0 && System.Text.Encoding.UTF8.GetString(buffer, (int)n) == value;
    }

    private static (UnixFileType Type, uint Major, uint Minor)? Stat(string path)
    {
        // statx has one layout on every architecture (struct stat does not): mode at 28, rdev major/minor at 128/132.
        var buffer = stackalloc byte[Libc.StatxSize];
        if (Libc.statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_TYPE, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is Libc.ENOENT or Libc.ENOTDIR ? null : throw new IOException($"statx {path} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        var mode = *(ushort*)(buffer + 28);
        return ((UnixFileType)(mode & TypeMask), *(uint*)(buffer + 128), *(uint*)(buffer + 132));
    }
}
