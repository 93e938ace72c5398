using Harrier.Core.Ids;

namespace Harrier.Server.Commands;

/// <summary>
/// A refused command, with the HTTP status Marathon uses for it and its message. <see cref="Deployments"/> lists the
/// conflicting deployments of a 409 "locked" refusal.
/// </summary>
public sealed class CommandError(int status, string message, IReadOnlyList<DeploymentId>? deployments = null) : Exception(message)
{
    public int Status { get; } = status;

    public IReadOnlyList<DeploymentId> Deployments { get; } = deployments ?? [];
}
