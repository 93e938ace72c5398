using System.Globalization;
using Harrier.Linux;

namespace Harrier.Drivers;

/// <summary>
/// A task's <see cref="TaskLauncherScript"/> launcher as a driver watches it: a child of this agent process
/// (reaped with waitpid) or one recovered from a previous agent (watched through /proc, identified by pid and
/// start time). Its exit status comes from the exit file the launcher writes, else from its wait status.
/// </summary>
internal sealed class LauncherProcess
{
    private readonly bool _ownChild;
    private int? _waitStatus;

    public LauncherProcess(int pid, long startTime, bool ownChild)
    {
        Pid = pid;
        StartTime = startTime;
        _ownChild = ownChild;
    }

    public int Pid { get; }

    public long StartTime { get; }

    /// <summary>True once the launcher is gone (reaped when it is our child).</summary>
    public bool PollExited()
    {
        if (_ownChild)
        {
            var rc = ProcessControl.WaitNoHang(Pid, out var status);
            if (rc == Pid)
            {
                _waitStatus = status;
                return true;
            }
            if (rc == 0)
            {
                return false;
            }
            // Not (or no longer) our child: fall through to the /proc check.
        }
        if (ProcessControl.IsAlive(Pid, StartTime))
        {
            return false;
        }
        // A launcher left over from a previous agent in this same process is still our child: reap the zombie.
        if (ProcessControl.TryReap(Pid) is { } s)
        {
            _waitStatus = s;
        }
        return true;
    }

    /// <summary>The task's exit: (code, null) or (null, signal); both null when unknown.</summary>
    public (int? Code, int? Signal) ReadExit(string exitFile)
    {
        try
        {
            var text = File.ReadAllText(exitFile).Trim();
            if (int.TryParse(text, CultureInfo.InvariantCulture, out var r))
            {
                // The launcher's shell (and an OCI runtime) report a task killed by signal n as 128+n.
                return r > 128 && r < 128 + 65 ? (null, r - 128) : (r, null);
            }
        }
        catch (IOException)
        {
        }
        // No status file: the launcher itself was killed (SIGKILL at the end of a kill's grace period).
        return _waitStatus is { } status ? ProcessControl.DecodeWaitStatus(status) : (null, null);
    }
}
