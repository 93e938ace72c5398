using System.Globalization;
using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Tests.Zdd;

/// <summary>An app in <see cref="FakeZddCluster"/>: its definition, instance goal, running tasks and scaling stamp.</summary>
internal sealed class FakeApp(JsonObject definition)
{
    public JsonObject Definition { get; } = definition;
    public string Id => Definition["id"]!.GetValue<string>();
    public int Instances { get; set; }
    public List<FakeTask> Tasks { get; } = [];
    public int DeployingReads { get; set; }
    public int LastScaling { get; set; }

    public int? ServicePort => Definition["portDefinitions"]?[0]?["port"]?.GetValue<int>();

    public string? Label(string name) => Definition["labels"]?[name]?.GetValue<string>();

    public JsonObject ToJson(bool withTasks)
    {
        var json = (JsonObject)Definition.DeepClone();
        json["instances"] = Instances;
        json["versionInfo"] = new JsonObject { ["lastScalingAt"] = new DateTime(2024, 1, 1).AddSeconds(LastScaling).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) };
        json["deployments"] = DeployingReads > 0 ? new JsonArray(new JsonObject { ["id"] = "deploying" }) : new JsonArray();
        if (withTasks)
        {
            json["tasks"] = new JsonArray([.. Tasks.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id,
                ["appId"] = Id,
                ["host"] = "127.0.0.1",
                ["ports"] = new JsonArray(t.Port),
                ["state"] = "TASK_RUNNING",
            })]);
        }
        return json;
    }
}
