using System.Text.Json;
using Harrier.Api.Apps;
using Harrier.Core.Deployments;
using Harrier.Server.Events;

namespace Harrier.Api.Json;

/// <summary>Marathon's event JSON (§14.2). One cluster event can be more than one Marathon event.</summary>
internal static class EventJsonWriter
{
    /// <summary>The Marathon events for one cluster event: (eventType, writer of the whole JSON object).</summary>
    public static IEnumerable<(string Type, Action<Utf8JsonWriter> Write)> Describe(ClusterEvent e) => e switch
    {
        TaskStatusEvent s => [("status_update_event", w => StatusUpdate(w, s)), ("instance_changed_event", w => InstanceChanged(w, s))],
        DeploymentStepEvent { Finished: false } d => [("deployment_info", w => Step(w, "deployment_info", d))],
        DeploymentStepEvent { Finished: true } d => [("deployment_step_success", w => Step(w, "deployment_step_success", d))],
        DeploymentSuccessEvent d => [("deployment_success", w => PlanEvent(w, "deployment_success", d.Timestamp.ToString(), d.Plan, null))],
        DeploymentFailedEvent d => [("deployment_failed", w => PlanEvent(w, "deployment_failed", d.Timestamp.ToString(), d.Plan, d.Reason))],
        AppTerminatedEvent a => [("app_terminated_event", w => Simple(w, "app_terminated_event", a.Timestamp.ToString(), ("appId", a.AppId.Value)))],
        GroupChangeSuccessEvent g => [("group_change_success", w => Simple(w, "group_change_success", g.Timestamp.ToString(), ("groupId", g.GroupId.Value), ("version", g.Version.ToString())))],
        ApiPostEvent p => [("api_post_event", w => ApiPost(w, p))],
        EventStreamEvent s => [(s.Attached ? "event_stream_attached" : "event_stream_detached",
            w => Simple(w, s.Attached ? "event_stream_attached" : "event_stream_detached", s.Timestamp.ToString(), ("remoteAddress", s.RemoteAddress)))],
        _ => [],
    };

    private static void StatusUpdate(Utf8JsonWriter w, TaskStatusEvent s)
    {
        var i = s.Instance;
        w.WriteStartObject();
        w.WriteString("slaveId", i.AgentId?.Value ?? "");
        w.WriteString("taskId", i.TaskId?.Value ?? "");
        w.WriteString("taskStatus", s.MesosState);
        w.WriteString("message", s.Message ?? "");
        w.WriteString("appId", i.RunSpecId.Value);
        w.WriteString("host", i.Host ?? "");
        TaskJsonWriter.WriteIpAddresses(w, i.Host);
        w.WriteStartArray("ports");
        foreach (var port in i.HostPorts)
        {
            w.WriteNumberValue(port);
        }
        w.WriteEndArray();
        w.WriteString("version", i.RunSpecVersion.ToString());
        w.WriteString("eventType", "status_update_event");
        w.WriteString("timestamp", s.Timestamp.ToString());
        w.WriteEndObject();
    }

    private static void InstanceChanged(Utf8JsonWriter w, TaskStatusEvent s)
    {
        var i = s.Instance;
        w.WriteStartObject();
        w.WriteString("instanceId", i.Id.Value);
        w.WriteString("condition", i.Condition.ToString());
        w.WriteString("runSpecId", i.RunSpecId.Value);
        if (i.AgentId is { } agent)
        {
            w.WriteString("agentId", agent.Value);
        }
        else
        {
            w.WriteNull("agentId");
        }
        w.WriteString("host", i.Host ?? "");
        w.WriteString("runSpecVersion", i.RunSpecVersion.ToString());
        w.WriteString("timestamp", s.Timestamp.ToString());
        w.WriteString("eventType", "instance_changed_event");
        w.WriteEndObject();
    }

    private static void Step(Utf8JsonWriter w, string type, DeploymentStepEvent d)
    {
        w.WriteStartObject();
        w.WritePropertyName("plan");
        Plan(w, d.Plan);
        w.WritePropertyName("currentStep");
        DeploymentJsonWriter.WriteStep(w, d.Plan.Steps[d.Step - 1]);
        w.WriteString("eventType", type);
        w.WriteString("timestamp", d.Timestamp.ToString());
        w.WriteEndObject();
    }

    private static void PlanEvent(Utf8JsonWriter w, string type, string timestamp, DeploymentPlan plan, string? reason)
    {
        w.WriteStartObject();
        w.WriteString("id", plan.Id.Value);
        w.WritePropertyName("plan");
        Plan(w, plan);
        if (reason is not null)
        {
            w.WriteString("reason", reason);
        }
        w.WriteString("eventType", type);
        w.WriteString("timestamp", timestamp);
        w.WriteEndObject();
    }

    private static void Plan(Utf8JsonWriter w, DeploymentPlan plan)
    {
        w.WriteStartObject();
        w.WriteString("id", plan.Id.Value);
        DeploymentJsonWriter.WriteSteps(w, plan);
        w.WriteString("version", plan.Version.ToString());
        w.WriteEndObject();
    }

    private static void ApiPost(Utf8JsonWriter w, ApiPostEvent p)
    {
        w.WriteStartObject();
        w.WriteString("clientIp", p.ClientIp);
        w.WriteString("uri", p.Uri);
        w.WritePropertyName("appDefinition");
        AppJsonWriter.Write(w, p.App);
        w.WriteString("eventType", "api_post_event");
        w.WriteString("timestamp", p.Timestamp.ToString());
        w.WriteEndObject();
    }

    private static void Simple(Utf8JsonWriter w, string type, string timestamp, params (string Name, string Value)[] fields)
    {
        w.WriteStartObject();
        foreach (var (name, value) in fields)
        {
            w.WriteString(name, value);
        }
        w.WriteString("eventType", type);
        w.WriteString("timestamp", timestamp);
        w.WriteEndObject();
    }
}
