using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>The answer of every change that starts a deployment: <c>{"deploymentId", "version"}</c> (§1.6).</summary>
public sealed record DeploymentResult(string DeploymentId, string? Version, JsonObject Raw)
{
    public static DeploymentResult FromJson(JsonObject o, string? headerDeploymentId = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new DeploymentResult(o.Str("deploymentId") ?? headerDeploymentId ?? "", o.Str("version"), o);
    }
}
