namespace Harrier.Drivers;

/// <summary>
/// What a driver needs to run one task. Exactly one of <see cref="Shell"/> (<c>/bin/sh -c</c>) or
/// <see cref="Argv"/> (exec'd directly, PATH lookup for a bare name) is set. <see cref="Environment"/> is the
/// task's complete environment. <see cref="StateDirectory"/> is agent-private (not the sandbox).
/// </summary>
public sealed record DriverTaskSpec
{
    public required string TaskId { get; init; }

    public required string SandboxDirectory { get; init; }

    public required string StateDirectory { get; init; }

    public string? Shell { get; init; }

    public IReadOnlyList<string> Argv { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? User { get; init; }

    public double Cpus { get; init; }

    /// <summary>Hard CPU limit in cores (CFS quota); null = the same as <see cref="Cpus"/>; infinity = none.</summary>
    public double? CpuLimit { get; init; }

    public double MemMiB { get; init; }

    /// <summary>Hard memory limit in MiB; null = the same as <see cref="MemMiB"/>; infinity = none.</summary>
    public double? MemLimitMiB { get; init; }

    /// <summary>Set when the task runs in a container from an image (the OCI driver); null = a plain process.</summary>
    public ContainerTaskSpec? Container { get; init; }

    /// <summary>A network namespace a plain-process task joins (<c>/run/netns/NAME</c>, prepared by the agent's network
    /// step); null = the host's network. Containers carry theirs in <see cref="ContainerTaskSpec.NetworkNamespace"/>.</summary>
    public string? NetworkNamespace { get; init; }

    public string StdoutPath => Path.Combine(SandboxDirectory, "stdout");

    public string StderrPath => Path.Combine(SandboxDirectory, "stderr");
}
