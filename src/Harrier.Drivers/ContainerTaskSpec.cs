using Harrier.Drivers.Images;

namespace Harrier.Drivers;

/// <summary>
/// The container part of a <see cref="DriverTaskSpec"/>: the image to run and how. The task's command follows
/// Marathon's rules: <see cref="DriverTaskSpec.Shell"/> runs as <c>/bin/sh -c</c> (the image's entrypoint is not
/// used); <see cref="DriverTaskSpec.Argv"/> (args) replaces the image's Cmd after its Entrypoint; neither runs the
/// image's Entrypoint + Cmd. The environment is the image's, overridden by <see cref="DriverTaskSpec.Environment"/>.
/// </summary>
public sealed record ContainerTaskSpec
{
    public required PulledImage Image { get; init; }

    /// <summary>Docker's <c>--privileged</c>: all capabilities, no masked paths, devices visible.</summary>
    public bool Privileged { get; init; }

    /// <summary><c>docker.parameters</c> in order (keys validated by the API against the supported set).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Bind mounts besides the sandbox (which is always mounted at <c>/mnt/mesos/sandbox</c>).</summary>
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>The container's hostname; null = the agent's.</summary>
    public string? Hostname { get; init; }

    /// <summary>
    /// A network namespace to join (a path such as <c>/var/run/netns/NAME</c>), prepared by the agent's network
    /// step; null = the host's network (host mode).
    /// </summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>The container's resolvers (its /etc/resolv.conf); empty = the host's resolv.conf.</summary>
    public IReadOnlyList<string> Nameservers { get; init; } = [];

    /// <summary>Max processes in the container (the pids cgroup); null = the driver's default.</summary>
    public long? PidsLimit { get; init; }
}
