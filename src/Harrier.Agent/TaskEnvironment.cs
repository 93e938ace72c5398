using Harrier.Linux;
using Harrier.Protocol;

namespace Harrier.Agent;

/// <summary>
/// A task's environment: a sensible PATH and HOME (not the agent's whole environment), then the launch's
/// variables (the server computed Marathon's), then what only the agent knows (MESOS_SANDBOX).
/// </summary>
internal static class TaskEnvironment
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static Dictionary<string, string> For(TaskLaunch launch, string sandbox)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = DefaultPath,
            ["HOME"] = launch.User is { } user && UnixUser.Find(user) is { } found ? found.Home : Environment.GetEnvironmentVariable("HOME") ?? "/",
            ["LANG"] = "C.UTF-8",
        };
        if (launch.User is { } name)
        {
            env["USER"] = name;
            env["LOGNAME"] = name;
        }
        foreach (var (key, value) in launch.Environment)
        {
            env[key] = value;
        }
        env["MESOS_SANDBOX"] = sandbox;
        return env;
    }

    /// <summary>
    /// A container task's environment: only the launch's variables and <c>MESOS_SANDBOX</c> at the sandbox's mount
    /// point. PATH, HOME and the rest come from the image (the driver merges them beneath these), not the agent.
    /// </summary>
    public static Dictionary<string, string> ForContainer(TaskLaunch launch, string containerSandbox)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in launch.Environment)
        {
            env[key] = value;
        }
        env["MESOS_SANDBOX"] = containerSandbox;
        return env;
    }
}
