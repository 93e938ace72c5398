using System.Text.Json;
using Harrier.Core.Deployments;
using Harrier.Core.Time;
using Harrier.Scheduling;
using Harrier.Server.Cluster;

namespace Harrier.Api.Json;

/// <summary>Deployment plans as <c>GET /v2/deployments</c> and <c>dryRun</c> show them (§2.4).</summary>
internal static class DeploymentJsonWriter
{
    /// <param name="snapshot">The live cluster, for readiness results and wait reasons; null for a plan not running (dryRun).</param>
    public static void Write(Utf8JsonWriter w, DeploymentPlan plan, ClusterSnapshot? snapshot, Timestamp now)
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
                    if (snapshot.DeploymentReasons.TryGetValue((plan.Id, action.RunSpecId), out var reason))
                    {
                        WaitReasonJsonWriter.Write(w, "reason", reason, now);
                    }
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteNumber("currentStep", plan.CurrentStep);
        w.WriteNumber("totalSteps", plan.Steps.Count);
        WriteChanges(w, plan);
        w.WriteEndObject();
    }

    /// <summary>
    /// Harrier: <c>changes</c>, the class of each affected app's change (<c>new</c>, <c>removed</c>, <c>scale</c>,
    /// <c>inPlace</c>, <c>restart</c>, <c>none</c>) and the top-level fields that changed, so a plan says why it
    /// restarts instances or not. A restart request with no field change is a <c>restart</c> with no fields.
    /// </summary>
    private static void WriteChanges(Utf8JsonWriter w, DeploymentPlan plan)
    {
        w.WriteStartArray("changes");
        foreach (var id in plan.AffectedRunSpecs)
        {
            var summary = AppChangeClassifier.Classify(plan.OriginalOf(id), plan.TargetOf(id));
            var restarts = plan.Steps.Any(step => step.Actions.Any(a => a.RunSpecId == id && a.Kind == DeploymentActionKind.RestartApplication));
            var kind = summary.Class == AppChangeClass.None && restarts ? AppChangeClass.Restart : summary.Class;
            w.WriteStartObject();
            w.WriteString("app", id.Value);
            w.WriteString("class", JsonNamingPolicy.CamelCase.ConvertName(kind.ToString()));
            w.WriteStartArray("fields");
            foreach (var field in summary.ChangedFields)
            {
                w.WriteStringValue(field);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
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
