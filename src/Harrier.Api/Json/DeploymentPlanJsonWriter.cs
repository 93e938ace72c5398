using System.Text.Json;
using Harrier.Api.Security;
using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Server.Cluster;

namespace Harrier.Api.Json;

/// <summary>
/// The <c>plan</c> of deployment events (§14.2): <c>{id, steps, version}</c>, and with heavy plans (the default,
/// <c>plan-format=full</c>) Marathon's <c>original</c> and <c>target</c> root groups too, which strict clients
/// construct their plan objects from.
/// </summary>
internal static class DeploymentPlanJsonWriter
{
    /// <param name="snapshot">The live tree: the apps the plan does not touch are the same before and after it.</param>
    public static void Write(Utf8JsonWriter w, DeploymentPlan plan, bool full, ClusterSnapshot snapshot, Principal principal)
    {
        w.WriteStartObject();
        w.WriteString("id", plan.Id.Value);
        if (full)
        {
            var version = OriginalVersion(plan, snapshot);
            w.WritePropertyName("original");
            RootGroupJsonWriter.Write(w, View(plan, plan.Original, snapshot), snapshot.Groups, principal, version);
            w.WritePropertyName("target");
            RootGroupJsonWriter.Write(w, View(plan, plan.Target, snapshot), snapshot.Groups, principal, plan.Version);
        }
        DeploymentJsonWriter.WriteSteps(w, plan);
        w.WriteString("version", plan.Version.ToString());
        w.WriteEndObject();
    }

    /// <summary>The live apps with the plan's affected ones as <paramref name="side"/> has them (absent there = absent).</summary>
    private static IEnumerable<AppSpec> View(DeploymentPlan plan, IReadOnlyList<AppSpec> side, ClusterSnapshot snapshot)
    {
        var affected = plan.AffectedRunSpecs.ToHashSet();
        return snapshot.Apps.Values.Where(a => !affected.Contains(a.Id)).Concat(side);
    }

    /// <summary>The root's version before the plan: the latest app version older than the plan, else the plan's.</summary>
    private static Core.Time.Timestamp OriginalVersion(DeploymentPlan plan, ClusterSnapshot snapshot) =>
        snapshot.Apps.Values.Select(a => a.Version).Concat(plan.Original.Select(a => a.Version))
            .Where(v => v < plan.Version).DefaultIfEmpty(plan.Version).Max();
}
