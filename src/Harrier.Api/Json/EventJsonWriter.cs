using System.Text.Json;
using Harrier.Api.Apps;
using Harrier.Core.Deployments;
using Harrier.Server.Events;

namespace Harrier.Api.Json;

/// <summary>
/// Marathon's event JSON (§14.2), exactly its event types and fields. One cluster event can be more than one Marathon
/// event. Harrier's own event types are <see cref="Extensions.HarrierEventJsonWriter"/>'s.
/// </summary>
internal static class EventJsonWriter
{
    /// <summary>The Marathon events for one cluster event: (eventType, writer of the whole JSON object).</summary>
    public static IEnumerable<(string Type, Action<Utf8JsonWriter> Write)> Describe(ClusterEvent e, EventView view) => e switch
    {
        TaskStatusEvent s => [("status_update_event", w => StatusUpdate(w, s)), ("instance_changed_event", w => InstanceChanged(w, s.Instance, s.Timestamp))],
        DeploymentStepEvent { Finished: false } d => [("deployment_info", w => Step(w, "deployment_info", d, view))],
        DeploymentStepEvent { Finished: true, Failed: true } d => [("deployment_step_failure", w => Step(w, "deployment_step_failure", d, view))],
        DeploymentStepEvent { Finished: true } d => [("deployment_step_success", w => Step(w, "deployment_step_success", d, view))],
        DeploymentSuccessEvent d => [("deployment_success", w => PlanEvent(w, "deployment_success", d.Timestamp.ToString(), d.Plan, null, view))],
        DeploymentFailedEvent d => [("deployment_failed", w => PlanEvent(w, "deployment_failed", d.Timestamp.ToString(), d.Plan, d.Reason, view))],
        AppTerminatedEvent a => [("app_terminated_event", w => Simple(w, "app_terminated_event", a.Timestamp.ToString(), ("appId", a.AppId.Value)))],
        GroupChangeSuccessEvent g => [("group_change_success", w => Simple(w, "group_change_success", g.Timestamp.ToString(), ("groupId", g.GroupId.Value), ("version", g.Version.ToString())))],
        ApiPostEvent p => [("api_post_event", w => ApiPost(w, p))],
        EventStreamEvent s => [(s.Attached ? "event_stream_attached" : "event_stream_detached",
            w => Simple(w, s.Attached ? "event_stream_attached" : "event_stream_detached", s.Timestamp.ToString(), ("remoteAddress", s.RemoteAddress)))],
        InstanceChangedEvent c => [("instance_changed_event", w => InstanceChanged(w, c.Instance, c.Timestamp))],
        InstanceHealthChangedEvent h => [("instance_health_changed_event", w => InstanceHealthChanged(w, h))],
        HealthStatusChangedEvent h => [("health_status_changed_event", w => HealthStatusChanged(w, h))],
        FailedHealthCheckEvent f => [("failed_health_check_event", w => FailedHealthCheck(w, f))],
        UnhealthyInstanceKillEvent k => [("unhealthy_instance_kill_event", w => UnhealthyKill(w, k))],
        AddHealthCheckEvent a => [("add_health_check_event", w => AddHealthCheck(w, a))],
        RemoveHealthCheckEvent r => [("remove_health_check_event", w => Simple(w, "remove_health_check_event", r.Timestamp.ToString(), ("appId", r.AppId.Value)))],
        _ => [],
    };

    private static void InstanceHealthChanged(Utf8JsonWriter w, InstanceHealthChangedEvent h)
    {
        w.WriteStartObject();
        w.WriteString("instanceId", h.Instance.Id.Value);
        w.WriteString("runSpecId", h.Instance.RunSpecId.Value);
        if (h.Healthy is { } healthy)
        {
            w.WriteBoolean("healthy", healthy);
        }
        else
        {
            w.WriteNull("healthy");
        }
        w.WriteString("runSpecVersion", h.Instance.RunSpecVersion.ToString());
        w.WriteString("eventType", "instance_health_changed_event");
        w.WriteString("timestamp", h.Timestamp.ToString());
        w.WriteEndObject();
    }

    private static void HealthStatusChanged(Utf8JsonWriter w, HealthStatusChangedEvent h)
    {
        w.WriteStartObject();
        w.WriteString("appId", h.Instance.RunSpecId.Value);
        w.WriteString("instanceId", h.Instance.Id.Value);
        w.WriteString("version", h.Instance.RunSpecVersion.ToString());
        w.WriteBoolean("alive", h.Alive);
        w.WriteString("eventType", "health_status_changed_event");
        w.WriteString("timestamp", h.Timestamp.ToString());
        w.WriteEndObject();
    }

    /// <summary>Marathon puts the instance id in <c>taskId</c> here (§14.2).</summary>
    private static void FailedHealthCheck(Utf8JsonWriter w, FailedHealthCheckEvent f)
    {
        w.WriteStartObject();
        w.WriteString("appId", f.Instance.RunSpecId.Value);
        w.WriteString("taskId", f.Instance.Id.Value);
        if (f.Check is { } check)
        {
            w.WritePropertyName("healthCheck");
            CheckJsonWriter.WriteHealthCheck(w, check);
        }
        w.WriteString("eventType", "failed_health_check_event");
        w.WriteString("timestamp", f.Timestamp.ToString());
        w.WriteEndObject();
    }

    private static void UnhealthyKill(Utf8JsonWriter w, UnhealthyInstanceKillEvent k)
    {
        var i = k.Instance;
        w.WriteStartObject();
        w.WriteString("appId", i.RunSpecId.Value);
        w.WriteString("taskId", i.TaskId?.Value ?? "");
        w.WriteString("instanceId", i.Id.Value);
        w.WriteString("version", i.RunSpecVersion.ToString());
        w.WriteString("reason", k.Reason);
        if (i.Host is { } host)
        {
            w.WriteString("host", host);
        }
        if (i.AgentId is { } agent)
        {
            w.WriteString("slaveId", agent.Value);
        }
        w.WriteString("eventType", "unhealthy_instance_kill_event");
        w.WriteString("timestamp", k.Timestamp.ToString());
        w.WriteEndObject();
    }

    private static void AddHealthCheck(Utf8JsonWriter w, AddHealthCheckEvent a)
    {
        w.WriteStartObject();
        w.WriteString("appId", a.AppId.Value);
        w.WriteString("version", a.Version.ToString());
        w.WritePropertyName("healthCheck");
        CheckJsonWriter.WriteHealthCheck(w, a.Check);
        w.WriteString("eventType", "add_health_check_event");
        w.WriteString("timestamp", a.Timestamp.ToString());
        w.WriteEndObject();
    }

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
        TaskJsonWriter.WriteIpAddresses(w, i);
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

    private static void InstanceChanged(Utf8JsonWriter w, Harrier.Core.Instances.Instance i, Harrier.Core.Time.Timestamp timestamp)
    {
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
        w.WriteString("timestamp", timestamp.ToString());
        w.WriteString("eventType", "instance_changed_event");
        w.WriteEndObject();
    }

    private static void Step(Utf8JsonWriter w, string type, DeploymentStepEvent d, EventView view)
    {
        w.WriteStartObject();
        w.WritePropertyName("plan");
        DeploymentPlanJsonWriter.Write(w, d.Plan, view.FullPlans, view.Snapshot, view.Principal);
        w.WritePropertyName("currentStep");
        DeploymentJsonWriter.WriteStep(w, d.Plan.Steps[d.Step - 1]);
        w.WriteString("eventType", type);
        w.WriteString("timestamp", d.Timestamp.ToString());
        w.WriteEndObject();
    }

    private static void PlanEvent(Utf8JsonWriter w, string type, string timestamp, DeploymentPlan plan, string? reason, EventView view)
    {
        w.WriteStartObject();
        w.WriteString("id", plan.Id.Value);
        w.WritePropertyName("plan");
        DeploymentPlanJsonWriter.Write(w, plan, view.FullPlans, view.Snapshot, view.Principal);
        if (reason is not null)
        {
            w.WriteString("reason", reason);
        }
        w.WriteString("eventType", type);
        w.WriteString("timestamp", timestamp);
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
