using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.Client;

namespace Harrier.Cli;

/// <summary>
/// Marathon errors for people: the message and status, then each validation detail as <c>path: error</c>
/// (§1.5: <c>details</c> is an array of <c>{path, errors}</c>, or a plain string for parse errors), then any
/// deployments a 409 names.
/// </summary>
internal static class ErrorRenderer
{
    public static void Write(TextWriter error, HarrierApiException e)
    {
        error.WriteLine($"error: {e.Message} (HTTP {e.Status})");
        switch (e.Details)
        {
            case JsonArray details:
                foreach (var detail in details.OfType<JsonObject>())
                {
                    var path = Text(detail["path"]) ?? "/";
                    var errors = detail["errors"] is JsonArray list ? list.Select(Text).OfType<string>().ToList() : [];
                    if (errors.Count == 0)
                    {
                        error.WriteLine($"  {path}");
                    }
                    foreach (var message in errors)
                    {
                        error.WriteLine($"  {path}: {message}");
                    }
                }
                break;
            case JsonValue value when Text(value) is { } text:
                error.WriteLine($"  {text}");
                break;
            case JsonObject other:
                error.WriteLine($"  {other.ToJsonString()}");
                break;
        }
        foreach (var id in LockingDeployments(e.RawBody))
        {
            error.WriteLine($"  locked by deployment {id}");
        }
    }

    private static IEnumerable<string> LockingDeployments(string rawBody)
    {
        try
        {
            return JsonNode.Parse(rawBody) is JsonObject { } body && body["deployments"] is JsonArray deployments
                ? [.. deployments.OfType<JsonObject>().Select(d => Text(d["id"])).OfType<string>()]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v ? (v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) : node?.ToJsonString();
}
