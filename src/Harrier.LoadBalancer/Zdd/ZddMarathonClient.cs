using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// The Marathon v2 calls zdd makes (the same against Harrier): list apps, read one app with its tasks and
/// deployments, create, scale, kill tasks with <c>scale=true</c>, delete. A failed call, an error status or an answer
/// that is not the expected JSON is a <see cref="ZddFailure"/> naming the step; app ids are checked before they go
/// into a path.
/// </summary>
internal sealed class ZddMarathonClient(ZddHttp http, Uri server)
{
    private readonly string _base = server.AbsoluteUri.TrimEnd('/');

    public string Display => _base;

    public async Task<IReadOnlyList<JsonObject>> ListAppsAsync(string step, CancellationToken ct)
    {
        var body = await CallAsync(HttpMethod.Get, "/v2/apps", null, step, ct);
        if (body["apps"] is not JsonArray apps)
        {
            throw new ZddFailure(step, $"{_base}/v2/apps answered without an \"apps\" list");
        }
        return [.. apps.OfType<JsonObject>().Select(a => (JsonObject)ZddAppJson.WithoutNulls(a)!)];
    }

    public async Task<JsonObject> GetAppAsync(string id, string step, CancellationToken ct)
    {
        var body = await CallAsync(HttpMethod.Get, "/v2/apps" + CheckedId(id, step), null, step, ct);
        return body["app"] is JsonObject app && ZddAppJson.Id(app) == id
            ? (JsonObject)ZddAppJson.WithoutNulls(app)!
            : throw new ZddFailure(step, $"{_base}/v2/apps{id} answered without the app");
    }

    public Task CreateAppAsync(JsonObject app, string step, CancellationToken ct) =>
        CallAsync(HttpMethod.Post, "/v2/apps", app.ToJsonString(), step, ct);

    /// <param name="id">The app's id.</param>
    /// <param name="current">The app as last read (what the scale must keep; see <see cref="ZddScaleBody"/>).</param>
    /// <param name="instances">The new instance count.</param>
    /// <param name="step">The step named in a failure.</param>
    /// <param name="ct">Cancels the call.</param>
    public Task ScaleAsync(string id, JsonObject current, int instances, string step, CancellationToken ct) =>
        CallAsync(HttpMethod.Put, "/v2/apps" + CheckedId(id, step), ZddScaleBody.For(current, instances), step, ct);

    public Task KillTasksAsync(IReadOnlyList<string> taskIds, string step, CancellationToken ct) =>
        CallAsync(HttpMethod.Post, "/v2/tasks/delete?scale=true", new JsonObject { ["ids"] = new JsonArray([.. taskIds.Select(t => (JsonNode)t)]) }.ToJsonString(), step, ct);

    public Task DeleteAppAsync(string id, string step, CancellationToken ct) =>
        CallAsync(HttpMethod.Delete, "/v2/apps" + CheckedId(id, step), null, step, ct);

    private static string CheckedId(string id, string step) =>
        ZddAppIds.IsValid(id) ? id : throw new ZddFailure(step, $"app id '{ZddAppJson.Printable(id)}' is not a Marathon app id");

    private async Task<JsonObject> CallAsync(HttpMethod method, string path, string? body, string step, CancellationToken ct)
    {
        var answer = await http.SendAsync(method, _base + path, body, withCredentials: true, ct);
        if (!answer.IsSuccess)
        {
            var message = answer.Error ?? $"HTTP {(int)answer.Status!.Value}{ServerMessage(answer.Body)}";
            throw new ZddFailure(step, $"{method} {_base}{path}: {message}");
        }
        if (method == HttpMethod.Get)
        {
            try
            {
                return JsonNode.Parse(answer.Body) as JsonObject ?? throw new ZddFailure(step, $"{_base}{path} answered JSON that is not an object");
            }
            catch (JsonException e)
            {
                throw new ZddFailure(step, $"{_base}{path} answered something that is not JSON ({e.Message})");
            }
        }
        return [];
    }

    /// <summary>Marathon's <c>{"message": …}</c> error text, when the body has one.</summary>
    private static string ServerMessage(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["message"] is JsonValue m && ZddAppJson.String(m) is { } text ? ": " + ZddAppJson.Printable(text) : "";
        }
        catch (JsonException)
        {
            return body.Length == 0 ? "" : ": " + ZddAppJson.Printable(body.Trim());
        }
    }
}
