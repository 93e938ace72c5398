namespace Harrier.Server.Commands;

/// <summary>Apply app changes as one deployment. <see cref="DryRun"/> computes the plan without applying it.</summary>
public sealed record DeployAppsCommand(IReadOnlyList<AppChange> Changes, bool Force, bool DryRun = false) : ServerCommand;
