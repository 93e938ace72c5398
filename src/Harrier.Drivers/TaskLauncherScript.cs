namespace Harrier.Drivers;

/// <summary>
/// The tiny <c>/bin/sh</c> launcher every process task runs under. It joins the task's cgroups (so the task is
/// limited before it execs), runs the task in the foreground and writes its exit status into an agent-private
/// file, which is how the status survives an agent restart: the launcher is in its own session, so an agent crash
/// does not touch it. TERM is trapped with a flag (not ignored: an ignored signal would be inherited by the task)
/// so that the group kill reaches the task and the launcher still records the status; a kill that
/// arrives before the task started means it never starts.
/// Arguments: exit-file, number of cgroup.procs files, those files, then the task's argv.
/// </summary>
internal static class TaskLauncherScript
{
    public const string Script =
        "f=$1; n=$2; shift 2\n" +
        "while [ \"$n\" -gt 0 ]; do\n" +
        "  echo $$ > \"$1\" || { echo \"harrier: cannot join cgroup $1\" >&2; echo 125 > \"$f\"; exit 125; }\n" +
        "  shift; n=$((n-1))\n" +
        "done\n" +
        "trap 't=1' TERM INT HUP\n" +
        "if [ -z \"$t\" ]; then \"$@\"; r=$?; else r=143; fi\n" +
        "echo \"$r\" > \"$f\"\n" +
        "exit \"$r\"\n";

    public static IReadOnlyList<string> Argv(string exitFile, IReadOnlyList<string> procsFiles, IReadOnlyList<string> taskArgv)
    {
        var argv = new List<string>(taskArgv.Count + procsFiles.Count + 6) { "/bin/sh", "-c", Script, "harrier-launcher", exitFile, procsFiles.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        argv.AddRange(procsFiles);
        argv.AddRange(taskArgv);
        return argv;
    }
}
