using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary><c>container.docker</c> as read, including the deprecated <c>network</c>, <c>portMappings</c> and <c>credential</c>.</summary>
internal sealed record DockerRaml
{
    public string Image { get; init; } = "";
    public bool ForcePullImage { get; init; }
    public bool Privileged { get; init; }
    public IReadOnlyList<DockerParameter> Parameters { get; init; } = [];
    public string? PullConfigSecret { get; init; }
    public bool HasCredential { get; init; }
    public string? Network { get; init; }
    public IReadOnlyList<PortMapping>? PortMappings { get; init; }
}
