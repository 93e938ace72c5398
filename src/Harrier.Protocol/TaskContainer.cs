using Harrier.Core.Apps;
using Harrier.Core.Collections;

namespace Harrier.Protocol;

/// <summary>
/// The container part of a launch: what the agent needs to run the task from an image, and the seams the
/// networking steps read (<see cref="Networks"/>, <see cref="PortMappings"/>). <see cref="Image"/> is null for a
/// MESOS container without an image (a plain process, as without a container).
/// </summary>
public sealed record TaskContainer
{
    public ContainerType Type { get; init; } = ContainerType.Docker;
    public string? Image { get; init; }
    public bool ForcePullImage { get; init; }
    public bool Privileged { get; init; }
    /// <summary><c>docker.parameters</c> in order, Marathon's <c>label=MESOS_TASK_ID=…</c> last.</summary>
    public ValueList<DockerParameter> Parameters { get; init; } = ValueList<DockerParameter>.Empty;
    public ValueList<TaskVolume> Volumes { get; init; } = ValueList<TaskVolume>.Empty;
    /// <summary>The app's networks (host, one container/bridge, or named container networks).</summary>
    public ValueList<NetworkSpec> Networks { get; init; } = ValueList<NetworkSpec>.Empty;
    /// <summary>Port mappings with their allocated host ports (non-host networking).</summary>
    public ValueList<PortMapping> PortMappings { get; init; } = ValueList<PortMapping>.Empty;

    /// <summary>True when the task runs in a container from an image (the OCI driver).</summary>
    public bool HasImage => !string.IsNullOrEmpty(Image);
}
