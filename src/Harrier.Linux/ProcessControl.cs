using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Harrier.Linux;

/// <summary>Starting, signalling, reaping and identifying processes by pid.</summary>
public static unsafe class ProcessControl
{
    /// <summary>Starts a process in its own session (so it survives the agent and a group kill reaches all of it).</summary>
    public static int Spawn(SpawnRequest request)
    {
        ArgumentOutOfRangeException.ThrowIfZero(request.Argv.Count);
        var fa = NativeMemory.AllocZeroed(Libc.FileActionsSize);
        var attr = NativeMemory.AllocZeroed(Libc.SpawnAttrSize);
        var sigs = NativeMemory.AllocZeroed(Libc.SigsetSize);
        var strings = new List<nint>();
        try
        {
            Check(Libc.posix_spawn_file_actions_init(fa), "posix_spawn_file_actions_init");
            Check(Libc.posix_spawn_file_actions_addopen(fa, 0, "/dev/null", Libc.O_RDONLY, 0), "addopen stdin");
            // O_NOFOLLOW: a link planted at the log's path (by a fetched archive, say) is refused, never appended through.
            Check(Libc.posix_spawn_file_actions_addopen(fa, 1, request.StdoutPath, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_NOFOLLOW, 420), "addopen stdout");
            Check(Libc.posix_spawn_file_actions_addopen(fa, 2, request.StderrPath, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_NOFOLLOW, 420), "addopen stderr");
            Check(Libc.posix_spawn_file_actions_addchdir_np(fa, request.WorkingDirectory), "addchdir");
            Check(Libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
            // .NET ignores SIGPIPE and may block signals on the calling thread: the child must start with defaults.
            Check(Libc.sigemptyset(sigs), "sigemptyset");
            Check(Libc.posix_spawnattr_setsigmask(attr, sigs), "setsigmask");
            Check(Libc.sigfillset(sigs), "sigfillset");
            Check(Libc.posix_spawnattr_setsigdefault(attr, sigs), "setsigdefault");
            Check(Libc.posix_spawnattr_setflags(attr, (short)(Libc.POSIX_SPAWN_SETSID | Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK)), "setflags");

            var argv = stackalloc byte*[request.Argv.Count + 1];
            for (var i = 0; i < request.Argv.Count; i++)
            {
                argv[i] = Utf8(request.Argv[i], strings);
            }
            argv[request.Argv.Count] = null;
            var env = request.Environment.Select(kv => kv.Key + "=" + kv.Value).ToArray();
            var envp = (byte**)NativeMemory.Alloc((nuint)(env.Length + 1), (nuint)sizeof(nint));
            strings.Add((nint)envp);
            for (var i = 0; i < env.Length; i++)
            {
                envp[i] = Utf8(env[i], strings);
            }
            envp[env.Length] = null;

            var rc = Libc.posix_spawn(out var pid, argv[0], fa, attr, argv, envp);
            if (rc != 0)
            {
                throw new IOException($"posix_spawn {request.Argv[0]} failed: {Marshal.GetPInvokeErrorMessage(rc)}");
            }
            return pid;
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(fa);
            Libc.posix_spawnattr_destroy(attr);
            NativeMemory.Free(fa);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigs);
            foreach (var p in strings)
            {
                NativeMemory.Free((void*)p);
            }
        }
    }

    /// <summary>
    /// Reaps <paramref name="pid"/> if it is our child and has exited. Returns the raw wait status, or null when it
    /// is still running or not our child.
    /// </summary>
    public static int? TryReap(int pid)
    {
        var r = Libc.waitpid(pid, out var status, Libc.WNOHANG);
        return r == pid ? status : null;
    }

    /// <summary>waitpid(pid, WNOHANG): pid when it exited (status set), 0 while it runs, -1 when it is not our child.</summary>
    public static int WaitNoHang(int pid, out int status) => Libc.waitpid(pid, out status, Libc.WNOHANG);

    /// <summary>Decodes a raw wait status: (exit code, null) or (null, signal).</summary>
    public static (int? ExitCode, int? Signal) DecodeWaitStatus(int status) =>
        (status & 0x7f) == 0 ? ((status >> 8) & 0xff, null) : (null, status & 0x7f);

    /// <summary>Signals a whole process group. False when the group no longer exists.</summary>
    public static bool SignalGroup(int pgid, int signal) => pgid > 1 && Libc.kill(-pgid, signal) == 0;

    public static bool Signal(int pid, int signal) => pid > 1 && Libc.kill(pid, signal) == 0;

    public static int SessionOf(int pid) => Libc.getsid(pid);

    public const int SigTerm = Libc.SIGTERM;
    public const int SigKill = Libc.SIGKILL;

    /// <summary>
    /// The process's start time in clock ticks since boot (field 22 of /proc/pid/stat), which together with the pid
    /// identifies it across pid reuse. Null when there is no such process or it is a zombie.
    /// </summary>
    public static long? StartTimeOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields[0] is "Z" or "X")
        {
            return null;
        }
        return long.Parse(fields[19], CultureInfo.InvariantCulture);
    }

    /// <summary>True when the process exists, is not a zombie and is the one started at <paramref name="startTime"/>.</summary>
    public static bool IsAlive(int pid, long startTime) => StartTimeOf(pid) == startTime;

    /// <summary>A NUL-terminated UTF-8 copy in native memory, recorded in <paramref name="owned"/> for freeing.</summary>
    internal static byte* Utf8(string s, List<nint> owned)
    {
        var bytes = Encoding.UTF8.GetByteCount(s);
        var p = (byte*)NativeMemory.Alloc((nuint)bytes + 1);
        owned.Add((nint)p);
        Encoding.UTF8.GetBytes(s, new Span<byte>(p, bytes));
        p[bytes] = 0;
        return p;
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
        {
            throw new IOException($"{what} failed: {Marshal.GetPInvokeErrorMessage(rc)}");
        }
    }
}
