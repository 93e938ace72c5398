using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>One running deployment as <c>GET /v2/deployments</c> lists it (§2.4).</summary>
public sealed record Deployment(
    string Id,
    string? Version,
    IReadOnlyList<string> AffectedApps,
    IReadOnlyList<string> AffectedPods,
    IReadOnlyList<DeploymentAction> CurrentActions,
    int CurrentStep,
    int TotalSteps,
    JsonObject Raw)
{
    public static Deployment FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new Deployment(
            o.Str("id") ?? "",
            o.Str("version"),
            o.Strings("affectedApps"),
            o.Strings("affectedPods"),
            [.. o.Objects("currentActions").Select(a => new DeploymentAction(a.Str("action") ?? "", a.Str("app") ?? a.Str("pod") ?? "", WaitReason.FromJson(a["reason"] as JsonObject)))],
            o.Int("currentStep") ?? 0,
            o.Int("totalSteps") ?? 0,
            o);
    }
}
