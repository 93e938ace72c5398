using System.Text.Json;
using Harrier.Core.Apps;
using Harrier.Core.Instances;

namespace Harrier.Api.Json;

/// <summary><c>tasksStats</c> (embed <c>taskStats</c>): counts and lifetimes by how current each task's config is.</summary>
internal static class TaskStatsWriter
{
    public static void Write(Utf8JsonWriter w, AppSpec app, IReadOnlyList<Instance> instances)
    {
        var tasks = instances.Where(TaskJsonWriter.IsTask).ToList();
        w.WriteStartObject("tasksStats");
        Section(w, "startedAfterLastScaling", tasks.Where(i => i.StagedAt >= app.VersionInfo.LastScalingAt).ToList());
        Section(w, "withLatestConfig", tasks.Where(i => i.RunSpecVersion >= app.VersionInfo.LastConfigChangeAt).ToList());
        Section(w, "withOutdatedConfig", tasks.Where(i => i.RunSpecVersion < app.VersionInfo.LastConfigChangeAt).ToList());
        Section(w, "totalSummary", tasks);
        w.WriteEndObject();
    }

    private static void Section(Utf8JsonWriter w, string name, IReadOnlyList<Instance> tasks)
    {
        if (tasks.Count == 0)
        {
            return;
        }
        w.WriteStartObject(name);
        w.WriteStartObject("stats");
        w.WriteStartObject("counts");
        w.WriteNumber("staged", tasks.Count(i => i.Condition is Condition.Provisioned or Condition.Staging or Condition.Starting));
        w.WriteNumber("running", tasks.Count(i => i.Condition == Condition.Running));
        w.WriteNumber("healthy", tasks.Count(i => i.Healthy == true));
        w.WriteNumber("unhealthy", tasks.Count(i => i.Healthy == false));
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
