namespace Harrier.Client;

/// <summary>
/// <c>POST /v2/apps</c> answers with the created app, not a deployment result (§1.6); the deployment id comes from the
/// app's <c>deployments</c> or, failing that, the <c>Marathon-Deployment-Id</c> header.
/// </summary>
public sealed record AppCreateResult(AppInfo App, string? DeploymentId);
