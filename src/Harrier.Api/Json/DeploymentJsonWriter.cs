using System.Text.Json;
using Harrier.Api.Http;
using Harrier.Api.Json.Extensions;
using Harrier.Core.Deployments;
using Harrier.Core.Time;
using Harrier.Server.Cluster;

namespace Harrier.Api.Json;

/// <summary>Deployment plans as <c>GET /v2/deployments</c> and <c>dryRun</c> show them (§2.4): RAML's <c>DeploymentStepInfo</c>.</summary>
internal static class DeploymentJsonWriter
{
    /// <param name="snapshot">The live cluster, for readiness results and wait reasons; null for a plan not running (dryRun).</param>
    /// <param name="format">With extensions: each current action's wait <c>reason</c> and the plan's <c>changes</c>.</param>
    public static void Write(Utf8JsonWriter w, DeploymentPlan plan, ClusterSnapshot? snapshot, Timestamp now, WireFormat format)
    {
        w.WriteStartObject();
        w.WriteString("id", plan.Id.Value);
        w.WriteString("version", plan.Version.ToString());
        w.WriteStartArray("affectedApps");
        foreach (var id in plan.AffectedRunSpecs)
        {
            w.WriteStringValue(id.Value);
        }
        w.WriteEndArray();
        w.WriteStartArray("affectedPods");
        w.WriteEndArray();
        WriteSteps(w, plan);
        w.WriteStartArray("currentActions");
        if (plan.CurrentStep > 0 && plan.CurrentStep <= plan.Steps.Count)
        {
            foreach (var action in plan.Steps[plan.CurrentStep - 1].Actions)
            {
                w.WriteStartObject();
                w.WriteString("action", action.Kind.ToString());
                w.WriteString("app", action.RunSpecId.Value);
                if (snapshot is null)
                {
                    w.WriteStartArray("readinessCheckResults");
                    w.WriteEndArray();
                }
                else
                {
                    ReadinessJsonWriter.WriteResults(w, snapshot.Apps.GetValueOrDefault(action.RunSpecId), snapshot);
                    if (format.Extensions)
                    {
                        HarrierExtensions.WriteActionReason(w, snapshot, plan.Id, action.RunSpecId, now);
                    }
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteNumber("currentStep", plan.CurrentStep);
        w.WriteNumber("totalSteps", plan.Steps.Count);
        if (format.Extensions)
        {
            HarrierExtensions.WriteChanges(w, plan);
        }
        w.WriteEndObject();
    }

    public static void WriteSteps(Utf8JsonWriter w, DeploymentPlan plan)
    {
        w.WriteStartArray("steps");
        foreach (var step in plan.Steps)
        {
            WriteStep(w, step);
        }
        w.WriteEndArray();
    }

    /// <summary>One step: <c>{"actions":[{"action":…,"app":…}]}</c> (plans, and the events' <c>currentStep</c>).</summary>
    public static void WriteStep(Utf8JsonWriter w, DeploymentStep step)
    {
        w.WriteStartObject();
        w.WriteStartArray("actions");
        foreach (var action in step.Actions)
        {
            w.WriteStartObject();
            w.WriteString("action", action.Kind.ToString());
            w.WriteString("app", action.RunSpecId.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
