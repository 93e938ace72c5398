using System.Runtime.InteropServices;

namespace Harrier.Linux;

/// <summary>A local user account, as getpwnam(3) reports it.</summary>
public sealed record UnixUser(string Name, uint Uid, uint Gid, string Home)
{
    public static bool IsRoot => Libc.geteuid() == 0;

    /// <summary>Looks up a user by name; null when there is no such user.</summary>
    public static unsafe UnixUser? Find(string name)
    {
        var pw = Libc.getpwnam(name);
        if (pw == 0)
        {
            return null;
        }
        // struct passwd { char* pw_name; char* pw_passwd; uid_t pw_uid; gid_t pw_gid; char* pw_gecos; char* pw_dir; char* pw_shell; }
        var p = (byte*)pw;
        var uid = *(uint*)(p + 2 * sizeof(nint));
        var gid = *(uint*)(p + 2 * sizeof(nint) + 4);
        var dir = Marshal.PtrToStringUTF8(*(nint*)(p + 2 * sizeof(nint) + 8 + sizeof(nint))) ?? "/";
        return new UnixUser(name, uid, gid, dir);
    }

    /// <summary>Gives a directory tree to this user (the sandbox of a task that runs as them).</summary>
    public void Own(string path)
    {
        _ = Libc.lchown(path, Uid, Gid);
        if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(path))
            {
                Own(entry);
            }
        }
    }
}
