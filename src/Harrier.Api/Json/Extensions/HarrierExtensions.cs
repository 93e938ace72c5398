using System.Text.Json;
using Harrier.Core.Deployments;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Scheduling;
using Harrier.Server.Cluster;

namespace Harrier.Api.Json.Extensions;

/// <summary>
/// Harrier's additions to Marathon-shaped answers, none of which Marathon 1.11's RAML defines. The Marathon writers
/// call these at one hook each, and only when the request opted in (<see cref="Http.WireFormat.Extensions"/>,
/// header <c>Harrier-Extensions: true</c>), so a strict Marathon client never sees them. A new extension field belongs here.
/// </summary>
internal static class HarrierExtensions
{
    /// <summary><c>/v2/info</c>: <c>"harrier": {version, agents}</c>, the build and the connected agents.</summary>
    public static void WriteInfo(Utf8JsonWriter w, string version, ClusterSnapshot snapshot)
    {
        w.WriteStartObject("harrier");
        w.WriteString("version", version);
        w.WriteNumber("agents", snapshot.Agents.Count(a => a.Value.Connected));
        w.WriteEndObject();
    }

    /// <summary>A task's <c>vips</c> (<c>/v2/apps</c> task data): each VIP it is a backend of, with its address, its
    /// l4lb name and the task's weight there (0 while unhealthy or being killed).</summary>
    public static void WriteTaskVips(Utf8JsonWriter w, ClusterSnapshot snapshot, Harrier.Core.Instances.Instance instance)
    {
        w.WriteStartArray("vips");
        if (instance.TaskId is { } task)
        {
            foreach (var vip in snapshot.Vips.Vips.Values)
            {
                foreach (var b in vip.Backends)
                {
                    if (b.Task == task)
                    {
                        w.WriteStartObject();
                        w.WriteString("vip", vip.Label + ":" + vip.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        w.WriteString("ip", vip.Address);
                        w.WriteNumber("port", vip.Port);
                        w.WriteString("protocol", vip.Protocol);
                        if (vip.Name is { } name)
                        {
                            w.WriteString("name", name);
                        }
                        w.WriteNumber("weight", b.Weight);
                        w.WriteEndObject();
                    }
                }
            }
        }
        w.WriteEndArray();
    }

    /// <summary><c>currentActions[].reason</c>: what the action waits for (absent when it does not wait).</summary>
    public static void WriteActionReason(Utf8JsonWriter w, ClusterSnapshot snapshot, DeploymentId plan, PathId app, Timestamp now)
    {
        if (snapshot.DeploymentReasons.TryGetValue((plan, app), out var reason))
        {
            WaitReasonJsonWriter.Write(w, "reason", reason, now);
        }
    }

    /// <summary><c>queue[].reason</c>: why the app's instances are not launched yet (absent when unknown).</summary>
    public static void WriteQueueReason(Utf8JsonWriter w, ClusterSnapshot snapshot, PathId app, Timestamp now)
    {
        if (snapshot.QueueReasons.TryGetValue(app, out var reason))
        {
            WaitReasonJsonWriter.Write(w, "reason", reason, now);
        }
    }

    /// <summary>
    /// A deployment's <c>changes</c>: the class of each affected app's change (<c>new</c>, <c>removed</c>,
    /// <c>scale</c>, <c>inPlace</c>, <c>restart</c>, <c>none</c>) and the top-level fields that changed, so a plan
    /// says why it restarts instances or not. A restart request with no field change is a <c>restart</c> with no fields.
    /// </summary>
    public static void WriteChanges(Utf8JsonWriter w, DeploymentPlan plan)
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
}
