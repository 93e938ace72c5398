using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Tests.Marathon;

/// <summary>Builds <c>/v2/apps?embed=apps.tasks</c> bodies for tests: host-networking apps with running tasks.</summary>
internal static class AppsBuilder
{
    public static JsonObject App(string id, int servicePort, params (string Key, string Value)[] labels)
    {
        var labelObject = new JsonObject { ["HAPROXY_GROUP"] = "external" };
        foreach (var (key, value) in labels)
        {
            labelObject[key] = value;
        }
        return new JsonObject
        {
            ["id"] = id,
            ["instances"] = 1,
            ["labels"] = labelObject,
            ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = servicePort }),
            ["tasks"] = new JsonArray(Task(id.TrimStart('/') + ".t1", "10.0.0.1", 31000 + (servicePort % 1000))),
        };
    }

    public static JsonObject Task(string id, string host, int port) => new()
    {
        ["id"] = id,
        ["host"] = host,
        ["ports"] = new JsonArray(port),
        ["state"] = "TASK_RUNNING",
    };

    public static string Body(params JsonNode[] apps) => new JsonObject { ["apps"] = new JsonArray(apps) }.ToJsonString();
}
