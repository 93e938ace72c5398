using Harrier.Core.Collections;

namespace Harrier.Core.Apps;

/// <summary>An app's <c>container</c>.</summary>
public sealed record ContainerSpec
{
    public ContainerType Type { get; init; } = ContainerType.Docker;
    public DockerSpec? Docker { get; init; }
    public ValueList<PortMapping> PortMappings { get; init; } = ValueList<PortMapping>.Empty;
    public ValueList<VolumeSpec> Volumes { get; init; } = ValueList<VolumeSpec>.Empty;
    public LinuxInfoSpec? LinuxInfo { get; init; }
}
