namespace Harrier.Drivers;

/// <summary>strsignal(3)-style names, as Mesos writes them in "Command terminated with signal …".</summary>
internal static class SignalNames
{
    public static string Of(int signal) => signal switch
    {
        1 => "Hangup",
        2 => "Interrupt",
        3 => "Quit",
        4 => "Illegal instruction",
        6 => "Aborted",
        7 => "Bus error",
        8 => "Floating point exception",
        9 => "Killed",
        11 => "Segmentation fault",
        13 => "Broken pipe",
        14 => "Alarm clock",
        15 => "Terminated",
        _ => "Signal " + signal,
    };

    /// <summary>The message for an exit status as the launcher's shell reports it (128+n means signal n).</summary>
    public static string ExitMessage(int? exitCode, int? signal) => (exitCode, signal) switch
    {
        (_, { } s) => $"Command terminated with signal {Of(s)}",
        (127, _) => "Command exited with status 127 (command not found)",
        (126, _) => "Command exited with status 126 (command not executable)",
        ({ } c, _) => $"Command exited with status {c}",
        _ => "Command ended; its exit status is unknown",
    };
}
