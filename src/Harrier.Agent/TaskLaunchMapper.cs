using Harrier.Drivers;
using Harrier.Protocol;

namespace Harrier.Agent;

/// <summary>The edge between the protocol's <see cref="TaskLaunch"/> and a driver's <see cref="DriverTaskSpec"/>.</summary>
internal static class TaskLaunchMapper
{
    public static DriverTaskSpec ToDriverSpec(TaskLaunch launch, string sandbox, string stateDirectory) => new()
    {
        TaskId = launch.TaskId.Value,
        SandboxDirectory = sandbox,
        StateDirectory = stateDirectory,
        Shell = launch.Shell,
        Argv = [.. launch.Argv],
        Environment = TaskEnvironment.For(launch, sandbox),
        User = launch.User,
        Cpus = launch.Resources.Cpus,
        CpuLimit = launch.Limits?.Cpus,
        MemMiB = launch.Resources.Mem,
        MemLimitMiB = launch.Limits?.Mem,
    };

    /// <summary>Why a launch cannot run at all (TASK_ERROR), or null.</summary>
    public static string? Validate(TaskLaunch launch)
    {
        var id = launch.TaskId.Value;
        if (string.IsNullOrEmpty(id) || id.Contains('/') || id is "." or ".." || id.Contains('\0'))
        {
            return $"task id '{id}' cannot name a sandbox";
        }
        if (launch.Shell is not null && !launch.Argv.IsEmpty)
        {
            return "a shell command and arguments cannot both be given";
        }
        // A container image brings its own entrypoint and command; a plain process needs one of the two.
        if (launch.Shell is null && launch.Argv.IsEmpty && launch.Container is not { HasImage: true })
        {
            return "exactly one of a shell command or arguments must be given";
        }
        return null;
    }
}
