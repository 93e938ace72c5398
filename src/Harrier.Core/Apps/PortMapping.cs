using Harrier.Core.Collections;

namespace Harrier.Core.Apps;

/// <summary>A container port mapping (bridge or container networking). A null <see cref="HostPort"/> means none.</summary>
public sealed record PortMapping(
    int ContainerPort = 0,
    int? HostPort = null,
    int ServicePort = 0,
    string Protocol = "tcp",
    string? Name = null,
    ValueMap<string> Labels = default,
    ValueList<string> NetworkNames = default);
