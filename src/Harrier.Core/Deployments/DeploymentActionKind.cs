namespace Harrier.Core.Deployments;

public enum DeploymentActionKind
{
    StartApplication,
    StopApplication,
    ScaleApplication,
    RestartApplication,
}
