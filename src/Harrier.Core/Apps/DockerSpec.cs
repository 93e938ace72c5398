using Harrier.Core.Collections;

namespace Harrier.Core.Apps;

public sealed record DockerSpec
{
    public required string Image { get; init; }
    public bool ForcePullImage { get; init; }
    public bool Privileged { get; init; }
    public ValueList<DockerParameter> Parameters { get; init; } = ValueList<DockerParameter>.Empty;
    /// <summary>The name of the secret holding registry credentials (<c>pullConfig.secret</c>).</summary>
    public string? PullConfigSecret { get; init; }
}
