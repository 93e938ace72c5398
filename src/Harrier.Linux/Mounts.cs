using System.Runtime.InteropServices;

namespace Harrier.Linux;

/// <summary>mount(2), umount2(2) and the mount table (<c>/proc/self/mountinfo</c>).</summary>
public static class Mounts
{
    /// <summary>mount(2) without flags; throws <see cref="IOException"/> with the errno text on failure.</summary>
    public static void Mount(string source, string target, string fsType, string? data)
    {
        if (Libc.mount(source, target, fsType, 0, data) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"mount {fsType} on {target} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>
    /// Unmounts <paramref name="target"/>; a busy mount is detached instead (lazily unmounted once unused).
    /// Returns false when nothing was mounted there.
    /// </summary>
    public static bool Unmount(string target)
    {
        if (Libc.umount2(target, 0) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        if (errno is Libc.EINVAL or Libc.ENOENT)
        {
            return false;
        }
        if (errno == Libc.EBUSY && Libc.umount2(target, Libc.MNT_DETACH) == 0)
        {
            return true;
        }
        throw new IOException($"umount {target} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>The mount points and file system types in this process's mount namespace.</summary>
    public static IReadOnlyList<(string MountPoint, string FsType)> Table()
    {
        var result = new List<(string, string)>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
            var fields = line.Split(' ');
            var dash = Array.IndexOf(fields, "-");
            if (fields.Length > 4 && dash > 0 && dash + 1 < fields.Length)
            {
                result.Add((Unescape(fields[4]), fields[dash + 1]));
            }
        }
        return result;
    }

    public static bool IsMountPoint(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return Table().Any(m => m.MountPoint == full);
    }

    /// <summary>Mount points at or below <paramref name="directory"/>, deepest first (the order to unmount them).</summary>
    public static IReadOnlyList<string> Under(string directory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        return [.. Table().Select(m => m.MountPoint)
            .Where(p => p == full || p.StartsWith(full + "/", StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(p => p.Length)];
    }

    /// <summary>An O_PATH descriptor of a directory (its <c>/proc/self/fd/N</c> name is a short alias of it).</summary>
    public static int OpenPath(string directory)
    {
        var fd = Libc.open(directory, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"open {directory} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        return fd;
    }

    public static void Close(int fd) => Libc.close(fd);

    // mountinfo escapes space, tab, newline and backslash as octal.
    private static string Unescape(string s) => s.Contains('\\', StringComparison.Ordinal)
        ? s.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal)
        : s;
}
