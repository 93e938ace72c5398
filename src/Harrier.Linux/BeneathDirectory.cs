using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Harrier.Linux;

/// <summary>
/// Files and directories beneath one root directory, reached one path component at a time with <c>openat</c> and
/// <c>O_NOFOLLOW</c> from a descriptor of the root. Invariant: no operation follows a symbolic link in any component
/// (one planted by an archive, a task, or anyone else) and no path with <c>..</c>, a leading <c>/</c> or a NUL is
/// accepted, so nothing here ever reads or writes outside the root. A violation is an <see cref="IOException"/>
/// naming the path. The root itself is trusted (the caller made it).
/// </summary>
public sealed class BeneathDirectory : IDisposable
{
    private const uint DirectoryMode = 0b111_101_101;
    private readonly SafeFileHandle _root;

    private BeneathDirectory(SafeFileHandle root, string path)
    {
        _root = root;
        Path = path;
    }

    /// <summary>The root's path, for messages.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="root"/> (which must be a directory).</summary>
    public static BeneathDirectory Open(string root)
    {
        var fd = Libc.open(root, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            throw Error("open", root, Marshal.GetLastPInvokeError());
        }
        return new BeneathDirectory(new SafeFileHandle(fd, ownsHandle: true), root);
    }

    /// <summary>
    /// The components of a relative path, without empty and <c>.</c> ones; null when the path is absolute or
    /// contains <c>..</c> or a NUL (it could name something outside the root).
    /// </summary>
    public static string[]? Components(string relative)
    {
        if (relative.Length == 0 || relative[0] == '/' || relative.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        return parts.Any(p => p == "..") ? null : parts;
    }

    /// <summary>Creates the directory and any missing parents (mode 0755); an existing directory is kept.</summary>
    public void CreateDirectory(string relative, uint? mode = null)
    {
        var components = Require(relative);
        if (components.Length == 0)
        {
            return;
        }
        using var parent = OpenParent(relative, components, create: true);
        MakeDirectory(parent, relative, components[^1], mode);
    }

    /// <summary>
    /// Creates a new regular file (replacing a file or link already there, never writing through it) with
    /// <paramref name="mode"/> (permission bits only) and opens it for writing. Missing parents are created.
    /// </summary>
    public FileStream CreateFile(string relative, uint mode)
    {
        var components = RequireNamed(relative);
        using var parent = OpenParent(relative, components, create: true);
        var name = components[^1];
        RemoveNonDirectory(parent, relative, name);
        var fd = Libc.openat(Fd(parent), name, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, mode & 0x1FF);
        if (fd < 0)
        {
            throw Error("create", relative, Marshal.GetLastPInvokeError());
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        // The umask applied at creation; the archive's or caller's permissions are what the file gets.
        _ = Libc.fchmod(fd, mode & 0x1FF);
        return new FileStream(handle, FileAccess.Write, 1);
    }

    /// <summary>Removes a file or link (not a directory) if it is there.</summary>
    public void DeleteFile(string relative)
    {
        var components = RequireNamed(relative);
        SafeFileHandle parent;
        try
        {
            parent = OpenParent(relative, components, create: false);
        }
        catch (FileNotFoundException)
        {
            return;
        }
        using (parent)
        {
            RemoveNonDirectory(parent, relative, components[^1]);
        }
    }

    /// <summary>Creates a symbolic link (replacing a file or link already there). Its target is not checked: it is
    /// never followed here.</summary>
    public void CreateSymlink(string relative, string target)
    {
        var components = RequireNamed(relative);
        using var parent = OpenParent(relative, components, create: true);
        var name = components[^1];
        RemoveNonDirectory(parent, relative, name);
        if (Libc.symlinkat(target, Fd(parent), name) != 0)
        {
            throw Error("symlink", relative, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Creates a hard link to <paramref name="existing"/>, which must itself be beneath the root.</summary>
    public void CreateHardLink(string relative, string existing)
    {
        var source = RequireNamed(existing);
        var components = RequireNamed(relative);
        using var sourceParent = OpenParent(existing, source, create: false);
        using var parent = OpenParent(relative, components, create: true);
        var name = components[^1];
        RemoveNonDirectory(parent, relative, name);
        // Flags 0: a symbolic link at the source is linked itself, never followed.
        if (Libc.linkat(Fd(sourceParent), source[^1], Fd(parent), name, 0) != 0)
        {
            throw Error("link to '" + existing + "'", relative, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// Opens a regular file for reading without following a link; null when it does not exist. A link, a
    /// directory, a device or FIFO, or a file with other hard links (it could be a file from elsewhere) is refused.
    /// </summary>
    public unsafe FileStream? OpenRegularFile(string relative)
    {
        var components = RequireNamed(relative);
        SafeFileHandle parent;
        try
        {
            parent = OpenParent(relative, components, create: false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        using (parent)
        {
            // O_NONBLOCK: opening a FIFO must not wait for a writer.
            var fd = Libc.openat(Fd(parent), components[^1], Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno == Libc.ENOENT ? null : throw Error("open", relative, errno);
            }
            var handle = new SafeFileHandle(fd, ownsHandle: true);
            var buffer = stackalloc byte[Libc.StatxSize];
            if (Libc.statx(fd, "", Libc.AT_EMPTY_PATH, Libc.STATX_MODE | Libc.STATX_NLINK, buffer) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                handle.Dispose();
                throw Error("stat", relative, errno);
            }
            var nlink = *(uint*)(buffer + 16);
            var type = (UnixFileType)(*(ushort*)(buffer + 28) & 0xF000);
            if (type != UnixFileType.Regular || nlink != 1)
            {
                handle.Dispose();
                throw new IOException($"'{relative}' in {Path} is not a regular file of its own ({(type == UnixFileType.Regular ? "it has other hard links" : type.ToString())})");
            }
            return new FileStream(handle, FileAccess.Read, 1);
        }
    }

    public void Dispose() => _root.Dispose();

    private static string[] Require(string relative) =>
        Components(relative) ?? throw new IOException($"'{relative}' is not a path inside the directory (absolute, or with '..')");

    private static string[] RequireNamed(string relative)
    {
        var components = Require(relative);
        return components.Length > 0 ? components : throw new IOException($"'{relative}' names no file");
    }

    /// <summary>The directory that holds the last component, reached without following any link.</summary>
    private SafeFileHandle OpenParent(string relative, string[] components, bool create)
    {
        var current = Reopen(_root);
        try
        {
            for (var i = 0; i < components.Length - 1; i++)
            {
                if (create)
                {
                    MakeDirectory(current, relative, components[i], null);
                }
                var fd = Libc.openat(Fd(current), components[i], Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
                if (fd < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.ENOENT)
                    {
                        throw new FileNotFoundException($"'{relative}' does not exist in {Path}");
                    }
                    throw errno is Libc.ELOOP or Libc.ENOTDIR
                        ? new IOException($"'{relative}' would pass through '{string.Join('/', components[..(i + 1)])}', which is a link or not a directory")
                        : Error("open", relative, errno);
                }
                current.Dispose();
                current = new SafeFileHandle(fd, ownsHandle: true);
            }
            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    private void MakeDirectory(SafeFileHandle parent, string relative, string name, uint? mode)
    {
        if (Libc.mkdirat(Fd(parent), name, mode ?? DirectoryMode) == 0)
        {
            if (mode is { } m)
            {
                var fd = Libc.openat(Fd(parent), name, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
                if (fd >= 0)
                {
                    _ = Libc.fchmod(fd, m & 0x1FF);
                    _ = Libc.close(fd);
                }
            }
            return;
        }
        var errno = Marshal.GetLastPInvokeError();
        if (errno != Libc.EEXIST)
        {
            throw Error("mkdir", relative, errno);
        }
        // Whatever exists there is checked by the O_NOFOLLOW | O_DIRECTORY open that follows.
    }

    private void RemoveNonDirectory(SafeFileHandle parent, string relative, string name)
    {
        if (Libc.unlinkat(Fd(parent), name, 0) == 0)
        {
            return;
        }
        var errno = Marshal.GetLastPInvokeError();
        if (errno == Libc.ENOENT)
        {
            return;
        }
        throw errno == Libc.EISDIR ? new IOException($"'{relative}' is a directory in {Path}") : Error("replace", relative, errno);
    }

    private static SafeFileHandle Reopen(SafeFileHandle directory)
    {
        var fd = Libc.openat(Fd(directory), ".", Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Error("open", ".", Marshal.GetLastPInvokeError());
    }

    private static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    private static IOException Error(string what, string path, int errno) =>
        new($"cannot {what} '{path}': {Marshal.GetPInvokeErrorMessage(errno)}");
}
