namespace Harrier.Drivers.Oci;

/// <summary>
/// Linux capabilities as Docker grants them: its default set, <c>--privileged</c> (all), and <c>--cap-add</c> /
/// <c>--cap-drop</c> (names with or without <c>CAP_</c>, any case; <c>ALL</c> for every capability).
/// </summary>
internal static class OciCapabilities
{
    /// <summary>Docker's default set (moby's <c>oci/caps/defaults.go</c>).</summary>
    public static readonly IReadOnlyList<string> Default =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    /// <summary>Every capability the kernel defines (numbers 0 to 40), in number order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
        "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary><c>net_admin</c> → <c>CAP_NET_ADMIN</c>; <c>all</c> → <c>ALL</c>; an unknown name throws.</summary>
    public static string Normalize(string name)
    {
        var upper = name.Trim().ToUpperInvariant();
        if (upper == "ALL")
        {
            return upper;
        }
        var full = upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
        return All.Contains(full)
            ? full
            : throw new DriverLaunchException($"Failed to launch the task: '{name}' is not a Linux capability");
    }

    /// <summary>
    /// Docker's rules: start from the default (or all when privileged); <c>cap-add ALL</c> grants all;
    /// <c>cap-drop ALL</c> leaves only the explicitly added ones; otherwise default + added − dropped.
    /// </summary>
    public static IReadOnlyList<string> Effective(bool privileged, IReadOnlyList<string> add, IReadOnlyList<string> drop)
    {
        if (drop.Contains("ALL"))
        {
            return add.Contains("ALL") ? All : [.. All.Where(add.Contains)];
        }
        var granted = privileged || add.Contains("ALL") ? All : Default;
        return [.. All.Where(c => (granted.Contains(c) || add.Contains(c)) && !drop.Contains(c))];
    }
}
