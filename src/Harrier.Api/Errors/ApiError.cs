using System.Text.Json.Nodes;

namespace Harrier.Api.Errors;

/// <summary>
/// A Marathon error response: an HTTP status and the JSON body <c>{"message":..., "details":...}</c>.
/// <c>details</c> is a string for JSON syntax errors (400) and an array of <c>{path, errors}</c> for 422 answers.
/// Validators return <see cref="Violation"/>s and only this groups them. Other message-only answers (404s) are
/// written by <c>JsonResponse.MessageAsync</c>, refused commands (a 409 lock with <c>deployments</c>) by
/// <c>CommandResponses</c>.
/// </summary>
public sealed record ApiError(int Status, string Message, JsonNode? Details = null)
{
    public const string InvalidJsonMessage = "Invalid JSON";
    public const string ObjectNotValidMessage = "Object is not valid";

    /// <summary>The response body; <c>details</c> is left out when absent.</summary>
    public JsonObject ToJson()
    {
        var body = new JsonObject { ["message"] = Message };
        if (Details is not null)
        {
            body["details"] = Details.DeepClone();
        }
        return body;
    }

    /// <summary>400: the body is not parseable JSON; <c>details</c> is the parser's message (a string).</summary>
    public static ApiError InvalidJson(string parserMessage) => new(400, InvalidJsonMessage, JsonValue.Create(parserMessage));

    /// <summary>400: an empty body, or a body that cannot be mapped at all.</summary>
    public static ApiError EmptyBody() => new(400, "Please specify data in JSON format", JsonValue.Create("No content to map due to end-of-input"));

    /// <summary>422 with only a message, Marathon's answer to an <c>IllegalArgumentException</c>.</summary>
    public static ApiError Unprocessable(string message) => new(422, message);

    /// <summary>422 "Invalid JSON": the body does not fit the RAML type (Play error keys such as <c>error.min</c>).</summary>
    public static ApiError JsonTypeErrors(IEnumerable<Violation> violations) => new(422, InvalidJsonMessage, GroupByPath(violations));

    /// <summary>422 "Object is not valid": semantic validation failures, grouped by path.</summary>
    public static ApiError ValidationFailed(IEnumerable<Violation> violations) => new(422, ObjectNotValidMessage, GroupByPath(violations));

    /// <summary>Groups violations by path, keeping the order in which paths and messages first appear.</summary>
    private static JsonArray GroupByPath(IEnumerable<Violation> violations)
    {
        var order = new List<string>();
        var byPath = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var v in violations)
        {
            if (!byPath.TryGetValue(v.Path, out var list))
            {
                list = [];
                byPath[v.Path] = list;
                order.Add(v.Path);
            }
            if (!list.Contains(v.Message))
            {
                list.Add(v.Message);
            }
        }
        var details = new JsonArray();
        foreach (var path in order)
        {
            details.Add(new JsonObject
            {
                ["path"] = path,
                ["errors"] = new JsonArray(byPath[path].Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
            });
        }
        return details;
    }
}
