using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>A <c>container</c> as read, with the deprecated docker fields still in place.</summary>
internal sealed record ContainerRaml
{
    public ContainerType Type { get; init; } = ContainerType.Docker;
    public DockerRaml? Docker { get; init; }
    public IReadOnlyList<PortMapping>? PortMappings { get; init; }
    public IReadOnlyList<VolumeSpec> Volumes { get; init; } = [];
    public LinuxInfoSpec? LinuxInfo { get; init; }
}
