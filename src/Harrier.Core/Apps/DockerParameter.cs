namespace Harrier.Core.Apps;

/// <summary>One <c>docker.parameters</c> entry: a <c>docker run</c> option name without dashes and its value.</summary>
public sealed record DockerParameter(string Key, string Value)
{
    /// <summary>
    /// The <c>docker run</c> options Harrier's OCI runtime driver applies. Any other key is refused at the API (422)
    /// rather than silently ignored, as a Docker daemon would have applied it. <c>name</c> (Marathon's own example app
    /// passes one) names the container in its OCI annotations; the runtime's container id stays the task's.
    /// </summary>
    public static IReadOnlyList<string> Supported { get; } =
        ["env", "label", "user", "workdir", "cap-add", "cap-drop", "read-only", "tmpfs", "ulimit", "shm-size", "hostname", "name"];
}
