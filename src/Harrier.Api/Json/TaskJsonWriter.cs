using System.Text.Json;
using Harrier.Core.Apps;
using Harrier.Core.Instances;
using Harrier.Server.Cluster;
using Harrier.Server.Health;

namespace Harrier.Api.Json;

/// <summary>Marathon's Task JSON (§2.5) for an app instance's current task.</summary>
internal static class TaskJsonWriter
{
    /// <summary>Only instances with an agent and a launched task are tasks.</summary>
    public static bool IsTask(Instance i) => i.AgentId is not null && i.Incarnation > 0 && i.Condition != Condition.Scheduled;

    public static void Write(Utf8JsonWriter w, Instance instance, AppSpec? app, bool withServicePorts, InstanceHealth? health = null, Action<Utf8JsonWriter>? extensions = null)
    {
        w.WriteStartObject();
        w.WriteString("appId", instance.RunSpecId.Value);
        w.WriteString("id", instance.TaskId!.Value.Value);
        w.WriteString("host", instance.Host ?? "");
        WriteIpAddresses(w, instance);
        var active = !instance.Condition.IsTerminal();
        if (active)
        {
            w.WriteStartArray("ports");
            foreach (var port in instance.HostPorts)
            {
                w.WriteNumberValue(port);
            }
            w.WriteEndArray();
        }
        w.WriteStartArray("servicePorts");
        if (withServicePorts && app is not null)
        {
            foreach (var port in app.ServicePorts)
            {
                w.WriteNumberValue(port);
            }
        }
        w.WriteEndArray();
        if (instance.AgentId is { } agent)
        {
            w.WriteString("slaveId", agent.Value);
        }
        w.WriteString("state", instance.Condition.ToMesosState());
        if (active)
        {
            if (instance.StagedAt is { } staged)
            {
                w.WriteString("stagedAt", staged.ToString());
            }
            if (instance.StartedAt is { } started)
            {
                w.WriteString("startedAt", started.ToString());
            }
            w.WriteString("version", instance.RunSpecVersion.ToString());
        }
        if (app is { HealthChecks.IsEmpty: false } && instance.Condition == Condition.Running)
        {
            WriteHealthResults(w, instance, health);
        }
        w.WriteStartArray("localVolumes");
        foreach (var path in instance.LocalVolumes)
        {
            // Marathon's LocalVolumeId: the reservation's persistent volumes, the same on every incarnation.
            w.WriteStartObject();
            w.WriteString("runSpecId", instance.RunSpecId.Value);
            w.WriteString("containerPath", path);
            w.WriteString("uuid", LocalVolumeId.Uuid(instance.Id));
            w.WriteString("persistenceId", LocalVolumeId.For(instance, path));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("role", instance.Role);
        extensions?.Invoke(w);
        w.WriteEndObject();
    }

    /// <summary><c>healthCheckResults</c>: one entry per check that has reported (Marathon's Health, with <c>instanceId</c>).</summary>
    private static void WriteHealthResults(Utf8JsonWriter w, Instance instance, InstanceHealth? health)
    {
        w.WriteStartArray("healthCheckResults");
        if (health is not null && health.TaskId == instance.TaskId)
        {
            foreach (var r in health.Results.OrderBy(r => r.CheckIndex))
            {
                w.WriteStartObject();
                w.WriteBoolean("alive", r.Alive);
                w.WriteNumber("consecutiveFailures", r.ConsecutiveFailures);
                WriteTime(w, "firstSuccess", r.FirstSuccess);
                WriteTime(w, "lastSuccess", r.LastSuccess);
                WriteTime(w, "lastFailure", r.LastFailure);
                if (r.LastFailureCause is { } cause)
                {
                    w.WriteString("lastFailureCause", cause);
                }
                w.WriteString("instanceId", instance.Id.Value);
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, Harrier.Core.Time.Timestamp? time)
    {
        if (time is { } t)
        {
            w.WriteString(name, t.ToString());
        }
    }

    /// <summary><c>"ipAddresses":[{ipAddress, protocol}]</c>: the task's addresses on its networks as its agent
    /// reported them (bridge, overlay, CNI), else its agent's address (host networking).</summary>
    public static void WriteIpAddresses(Utf8JsonWriter w, Instance instance)
    {
        w.WriteStartArray("ipAddresses");
        if (!instance.IpAddresses.IsEmpty)
        {
            foreach (var address in instance.IpAddresses)
            {
                WriteIpAddress(w, address);
            }
        }
        else
        {
            WriteIpAddress(w, instance.Host);
        }
        w.WriteEndArray();
    }

    private static void WriteIpAddress(Utf8JsonWriter w, string? address)
    {
        if (address is not null && System.Net.IPAddress.TryParse(address, out var ip))
        {
            w.WriteStartObject();
            w.WriteString("ipAddress", address);
            w.WriteString("protocol", ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4");
            w.WriteEndObject();
        }
    }

    public static void WriteList(Utf8JsonWriter w, IEnumerable<Instance> instances, ClusterSnapshot snapshot, bool withServicePorts)
    {
        w.WriteStartObject();
        w.WriteStartArray("tasks");
        foreach (var instance in instances.Where(IsTask))
        {
            snapshot.Apps.TryGetValue(instance.RunSpecId, out var app);
            Write(w, instance, app, withServicePorts, snapshot.Health.GetValueOrDefault(instance.Id));
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
