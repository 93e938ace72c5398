using System.Globalization;
using System.Runtime.InteropServices;

namespace Harrier.Linux;

/// <summary>
/// A cgroup v1 OOM notification (an eventfd registered through <c>cgroup.event_control</c> on a memory cgroup's
/// <c>memory.oom_control</c>). Needed on v1 when a task's processes live in a child of the limited cgroup: v1
/// counts <c>oom_kill</c> only in the victim's own cgroup, which may be gone by the time the exit is collected,
/// whereas the notification fires on the cgroup whose limit was hit. It lives in this process: an OOM while no
/// agent holds the watch is not seen.
/// </summary>
public sealed unsafe class OomWatch : IDisposable
{
    private readonly int _eventFd;
    private readonly int _controlFd;
    private bool _fired;

    private OomWatch(int eventFd, int controlFd)
    {
        _eventFd = eventFd;
        _controlFd = controlFd;
    }

    /// <summary>Registers on <paramref name="memoryCgroupDirectory"/>; null when it cannot (not v1, gone, no permission).</summary>
    public static OomWatch? Register(string memoryCgroupDirectory)
    {
        var control = Path.Combine(memoryCgroupDirectory, "memory.oom_control");
        var eventControl = Path.Combine(memoryCgroupDirectory, "cgroup.event_control");
        if (!File.Exists(control) || !File.Exists(eventControl))
        {
            return null;
        }
        var efd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (efd < 0)
        {
            return null;
        }
        var cfd = Libc.open(control, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (cfd < 0)
        {
            Libc.close(efd);
            return null;
        }
        var watch = new OomWatch(efd, cfd);
        try
        {
            File.WriteAllText(eventControl, string.Create(CultureInfo.InvariantCulture, $"{efd} {cfd}"));
            return watch;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            watch.Dispose();
            return null;
        }
    }

    /// <summary>
    /// True once the cgroup has been under OOM since registration. Read it before removing the cgroup: removal
    /// also signals the eventfd.
    /// </summary>
    public bool Fired()
    {
        ulong count = 0;
        if (!_fired && Libc.read(_eventFd, &count, sizeof(ulong)) == sizeof(ulong) && count > 0)
        {
            _fired = true;
        }
        _ = Marshal.GetLastPInvokeError();
        return _fired;
    }

    public void Dispose()
    {
        Libc.close(_controlFd);
        Libc.close(_eventFd);
    }
}
