using Harrier.Core.Ids;

namespace Harrier.Server.Commands;

/// <summary><see cref="Force"/>: stop where it is (result null). Otherwise roll back (result: the new <see cref="DeployResult"/>).</summary>
public sealed record CancelDeploymentCommand(DeploymentId Id, bool Force) : ServerCommand;
