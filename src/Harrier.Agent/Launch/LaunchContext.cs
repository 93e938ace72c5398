using Harrier.Drivers;
using Harrier.Drivers.Images;
using Harrier.Protocol;

namespace Harrier.Agent.Launch;

/// <summary>
/// What the launch steps of one task build up for the driver: the image, extra mounts, the network namespace. A
/// context is made for each launch and again for each recovery; what must outlive the agent process is either
/// on disk (sandbox, volumes, namespaces) or derivable from the launch.
/// </summary>
internal sealed class LaunchContext(TaskLaunch launch, string sandbox, string stateDirectory, Action<string> progress)
{
    public TaskLaunch Launch { get; } = launch;

    public string Sandbox { get; } = sandbox;

    /// <summary>Agent-private per-task directory (not visible to the task).</summary>
    public string StateDirectory { get; } = stateDirectory;

    /// <summary>The image the task runs from (set by the image step), or null for a plain process.</summary>
    public PulledImage? Image { get; set; }

    /// <summary>Bind mounts into the container (volumes).</summary>
    public List<ContainerMount> Mounts { get; } = [];

    /// <summary>Links in the sandbox for volumes of plain-process tasks (sandbox-relative name → host directory).</summary>
    public List<(string Name, string Target)> SandboxLinks { get; } = [];

    /// <summary>The network namespace the task joins (set by a network step); null = the host's network.</summary>
    public string? NetworkNamespace { get; set; }

    /// <summary>The task's addresses on its networks, in network order (set by the network step).</summary>
    public List<string> IpAddresses { get; } = [];

    /// <summary>The task's resolvers (its gateway when the agent forwards task DNS to Harrier's); empty = the host's.</summary>
    public List<string> Nameservers { get; } = [];

    /// <summary>Reports progress as the message of a TASK_STAGING/TASK_STARTING update (throttled by the runner).</summary>
    public void Progress(string message) => progress(message);

    /// <summary>Where a sandbox-relative path ends up, refusing any that would leave the sandbox.</summary>
    public string InSandbox(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(Sandbox, relative));
        var root = Path.GetFullPath(Sandbox).TrimEnd('/') + "/";
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new LaunchStepException(Core.Instances.TaskState.Error, TaskReasons.InvalidTask, $"Invalid launch: path '{relative}' leaves the sandbox");
        }
        return full;
    }
}
