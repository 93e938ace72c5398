using System.Text.Json;
using Harrier.Api.Apps;
using Harrier.Core.Apps;
using Harrier.Core.Instances;
using Harrier.Server.Cluster;

namespace Harrier.Api.Json;

/// <summary>AppInfo: the App definition plus the embeds (§2.1 embed parameter).</summary>
internal static class AppInfoWriter
{
    public static void Write(Utf8JsonWriter w, AppSpec app, ClusterSnapshot snapshot, AppEmbeds embeds)
    {
        w.WriteStartObject();
        AppJsonWriter.WriteFields(w, app);
        var instances = snapshot.InstancesOf(app.Id).ToList();
        if (embeds.Counts)
        {
            var tasks = instances.Where(TaskJsonWriter.IsTask).ToList();
            w.WriteNumber("tasksStaged", tasks.Count(i => i.Condition is Condition.Provisioned or Condition.Staging or Condition.Starting));
            w.WriteNumber("tasksRunning", tasks.Count(i => i.Condition == Condition.Running));
            w.WriteNumber("tasksHealthy", tasks.Count(i => i.Condition == Condition.Running && i.Healthy == true));
            w.WriteNumber("tasksUnhealthy", tasks.Count(i => i.Healthy == false));
        }
        if (embeds.Deployments)
        {
            w.WriteStartArray("deployments");
            foreach (var plan in snapshot.DeploymentsAffecting(app.Id))
            {
                w.WriteStartObject();
                w.WriteString("id", plan.Id.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (embeds.Readiness)
        {
            ReadinessJsonWriter.WriteResults(w, app, snapshot);
        }
        if (embeds.Tasks)
        {
            w.WriteStartArray("tasks");
            foreach (var instance in instances.Where(TaskJsonWriter.IsTask))
            {
                TaskJsonWriter.Write(w, instance, app, withServicePorts: true, snapshot.Health.GetValueOrDefault(instance.Id),
                    embeds.Extensions ? w => Extensions.HarrierExtensions.WriteTaskVips(w, snapshot, instance) : null);
            }
            w.WriteEndArray();
        }
        if (embeds.LastTaskFailure && snapshot.LastFailures.TryGetValue(app.Id, out var failure))
        {
            w.WriteStartObject("lastTaskFailure");
            w.WriteString("appId", failure.AppId.Value);
            w.WriteString("host", failure.Host);
            w.WriteString("message", failure.Message);
            w.WriteString("state", failure.State);
            w.WriteString("taskId", failure.TaskId.Value);
            w.WriteString("timestamp", failure.Timestamp.ToString());
            w.WriteString("version", failure.Version.ToString());
            if (failure.AgentId is { } agent)
            {
                w.WriteString("slaveId", agent.Value);
            }
            w.WriteEndObject();
        }
        if (embeds.TaskStats)
        {
            TaskStatsWriter.Write(w, app, instances);
        }
        w.WriteEndObject();
    }
}
