using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>
/// An app as <c>/v2/apps</c> returns it: the definition plus the AppInfo additions (counts, deployments, tasks,
/// lastTaskFailure; §2.1, §3.1). Only what the CLI shows is typed; everything else stays in <see cref="Raw"/>.
/// </summary>
public sealed record AppInfo(
    string Id,
    string? Cmd,
    IReadOnlyList<string> Args,
    int Instances,
    double Cpus,
    double Mem,
    double Disk,
    string? ContainerType,
    string? Image,
    IReadOnlyList<string> NetworkModes,
    IReadOnlyList<int> PortDefinitions,
    IReadOnlyDictionary<string, string> Labels,
    string? Version,
    int TasksStaged,
    int TasksRunning,
    int TasksHealthy,
    int TasksUnhealthy,
    IReadOnlyList<string> DeploymentIds,
    IReadOnlyList<AppTask> Tasks,
    string? LastTaskFailure,
    JsonObject Raw)
{
    public static AppInfo FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var container = o.Obj("container");
        var image = container?.Obj("docker")?.Str("image");
        var failure = o.Obj("lastTaskFailure");
        return new AppInfo(
            o.Str("id") ?? "",
            o.Str("cmd"),
            o.Strings("args"),
            // Marathon's defaults (§3.1) when the field is absent.
            o.Int("instances") ?? 1,
            o.Number("cpus") ?? 1.0,
            o.Number("mem") ?? 128.0,
            o.Number("disk") ?? 0.0,
            container?.Str("type"),
            image,
            [.. o.Objects("networks").Select(n => n.Str("mode") ?? "container")],
            [.. o.Objects("portDefinitions").Select(p => p.Int("port") ?? 0)],
            o.StringMap("labels"),
            o.Str("version"),
            o.Int("tasksStaged") ?? 0,
            o.Int("tasksRunning") ?? 0,
            o.Int("tasksHealthy") ?? 0,
            o.Int("tasksUnhealthy") ?? 0,
            [.. o.Objects("deployments").Select(d => d.Str("id")).OfType<string>()],
            [.. o.Objects("tasks").Select(AppTask.FromJson)],
            failure is null ? null : $"{failure.Str("state")} {failure.Str("message")} ({failure.Str("taskId")} at {failure.Str("timestamp")})".Trim(),
            o);
    }
}
