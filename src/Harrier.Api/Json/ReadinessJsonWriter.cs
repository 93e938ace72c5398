using System.Text.Json;
using Harrier.Core.Apps;
using Harrier.Core.Instances;
using Harrier.Server.Cluster;

namespace Harrier.Api.Json;

/// <summary>
/// <c>readinessCheckResults</c> (§8.4): <c>[{name, taskId, ready, lastResponse?}]</c> for the app's current-config
/// instances that have run their readiness check.
/// </summary>
internal static class ReadinessJsonWriter
{
    public static void WriteResults(Utf8JsonWriter w, AppSpec? app, ClusterSnapshot snapshot)
    {
        w.WriteStartArray("readinessCheckResults");
        if (app is { ReadinessChecks.IsEmpty: false })
        {
            foreach (var instance in snapshot.InstancesOf(app.Id))
            {
                if (instance.Goal != Goal.Running || instance.RunSpecVersion < app.VersionInfo.LastConfigChangeAt
                    || !snapshot.Health.TryGetValue(instance.Id, out var health) || health.Readiness is not { } result)
                {
                    continue;
                }
                w.WriteStartObject();
                w.WriteString("name", result.Name);
                w.WriteString("taskId", health.TaskId.Value);
                w.WriteBoolean("ready", result.Ready);
                if (result.LastResponse is { } response)
                {
                    w.WriteStartObject("lastResponse");
                    w.WriteNumber("status", response.Status);
                    w.WriteString("contentType", response.ContentType);
                    w.WriteString("body", response.Body);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
    }
}
