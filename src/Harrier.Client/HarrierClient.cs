using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>
/// Typed client for Harrier's Marathon v2 API. Non-2xx answers throw <see cref="HarrierApiException"/>; an unreachable
/// or silent server throws <see cref="HarrierConnectionException"/>. Every DTO keeps the JSON the server sent.
/// </summary>
public sealed partial class HarrierClient : IDisposable
{
    private const string DeploymentIdHeader = "Marathon-Deployment-Id";
    private readonly HttpClient _http;

    /// <param name="server">Base URL, e.g. <c>http://127.0.0.1:8080</c>; a path prefix (behind a proxy) is kept.</param>
    /// <param name="handler">Transport to use; the caller keeps ownership of it. Null uses a private socket handler.</param>
    public HarrierClient(Uri server, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!server.IsAbsoluteUri || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{server}' is not an http(s) URL.", nameof(server));
        }
        Server = server;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        // Log streams with follow=true run for as long as the task does; ordinary calls get RequestTimeout instead.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        // Harrier's additions to Marathon's shapes (wait reasons, change classes, agent counts, Harrier's event types)
        // come only on request; a plain Marathon server ignores the header.
        _http.DefaultRequestHeaders.Add(ExtensionsHeader, "true");
    }

    /// <summary>The request header that asks a Harrier server for its extensions beside Marathon's shapes.</summary>
    public const string ExtensionsHeader = "Harrier-Extensions";

    public Uri Server { get; }

    /// <summary>Credentials sent with every call (<c>Basic</c> or <c>Bearer</c>), for a server with authentication on.</summary>
    public AuthenticationHeaderValue? Authorization
    {
        get => _http.DefaultRequestHeaders.Authorization;
        set => _http.DefaultRequestHeaders.Authorization = value;
    }

    /// <summary>Time limit for every call except log streaming, until response headers and body have arrived.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    // ---- apps -------------------------------------------------------------------------------------------------------

    /// <param name="embed">One or more comma-separated embed values (<c>apps.tasks,apps.counts</c>), sent as repeated
    /// <c>embed</c> parameters.</param>
    public async Task<ApiList<AppInfo>> ListAppsAsync(string? embed = null, CancellationToken cancellationToken = default)
    {
        var embeds = (embed ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var path = ApiPaths.WithQuery("v2/apps", [.. embeds.Select(e => ("embed", (string?)e))]);
        var (body, _) = await SendJsonAsync(HttpMethod.Get, path, null, cancellationToken);
        return List(body, "apps", AppInfo.FromJson);
    }

    public async Task<AppInfo> GetAppAsync(string id, CancellationToken cancellationToken = default)
    {
        var (body, _) = await SendJsonAsync(HttpMethod.Get, ApiPaths.App(id), null, cancellationToken);
        return AppInfo.FromJson(Member(body, "app"));
    }

    public async Task<AppCreateResult> CreateAppAsync(JsonObject app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var (body, header) = await SendJsonAsync(HttpMethod.Post, "v2/apps", app, cancellationToken);
        var created = AppInfo.FromJson(AsObject(body));
        return new AppCreateResult(created, created.DeploymentIds.Count > 0 ? created.DeploymentIds[0] : header);
    }

    /// <summary><c>PUT /v2/apps/{id}</c>: with <paramref name="partial"/> (Marathon's default) only the fields given
    /// replace the stored ones; without it the body is the whole new definition.</summary>
    public Task<DeploymentResult> UpdateAppAsync(string id, JsonObject body, bool force = false, bool partial = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var path = ApiPaths.WithQuery(ApiPaths.App(id), ("force", ApiPaths.Flag(force)), ("partialUpdate", partial ? null : "false"));
        return DeployAsync(HttpMethod.Put, path, body, cancellationToken);
    }

    public Task<DeploymentResult> PatchAppAsync(string id, JsonObject body, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return DeployAsync(HttpMethod.Patch, ApiPaths.WithQuery(ApiPaths.App(id), ("force", ApiPaths.Flag(force))), body, cancellationToken);
    }

    public Task<DeploymentResult> ScaleAppAsync(string id, int instances, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instances);
        return UpdateAppAsync(id, new JsonObject { ["instances"] = instances }, force, partial: true, cancellationToken);
    }

    public Task<DeploymentResult> RestartAppAsync(string id, bool force = false, CancellationToken cancellationToken = default) =>
        DeployAsync(HttpMethod.Post, ApiPaths.WithQuery(ApiPaths.App(id) + "/restart", ("force", ApiPaths.Flag(force))), null, cancellationToken);

    /// <summary>Marathon's DELETE defaults <c>force</c> to true (§2), so the value is always sent explicitly.</summary>
    public Task<DeploymentResult> DeleteAppAsync(string id, bool force = false, CancellationToken cancellationToken = default) =>
        DeployAsync(HttpMethod.Delete, ApiPaths.WithQuery(ApiPaths.App(id), ("force", force ? "true" : "false")), null, cancellationToken);

    // ---- tasks ------------------------------------------------------------------------------------------------------

    public async Task<ApiList<AppTask>> ListAppTasksAsync(string id, CancellationToken cancellationToken = default)
    {
        var (body, _) = await SendJsonAsync(HttpMethod.Get, ApiPaths.App(id) + "/tasks", null, cancellationToken);
        return List(body, "tasks", AppTask.FromJson);
    }

    /// <param name="status"><c>running</c>, <c>staging</c>, or null for every task.</param>
    public async Task<ApiList<AppTask>> ListTasksAsync(string? status = null, CancellationToken cancellationToken = default)
    {
        var (body, _) = await SendJsonAsync(HttpMethod.Get, ApiPaths.WithQuery("v2/tasks", ("status", status)), null, cancellationToken);
        return List(body, "tasks", AppTask.FromJson);
    }

    public async Task<TaskKillResult> KillTaskAsync(string appId, string taskId, bool scale = false, bool wipe = false, CancellationToken cancellationToken = default)
    {
        var path = ApiPaths.WithQuery(ApiPaths.Task(appId, taskId), ("scale", ApiPaths.Flag(scale)), ("wipe", ApiPaths.Flag(wipe)));
        var (body, header) = await SendJsonAsync(HttpMethod.Delete, path, null, cancellationToken);
        var o = AsObject(body);
        return o["task"] is JsonObject task
            ? new TaskKillResult(AppTask.FromJson(task), null, o)
            : new TaskKillResult(null, DeploymentResult.FromJson(o, header), o);
    }

    // ---- deployments, queue, info -----------------------------------------------------------------------------------

    public async Task<ApiList<Deployment>> ListDeploymentsAsync(CancellationToken cancellationToken = default)
    {
        var (body, _) = await SendJsonAsync(HttpMethod.Get, "v2/deployments", null, cancellationToken);
        return body is JsonArray a
            ? new ApiList<Deployment>([.. a.OfType<JsonObject>().Select(Deployment.FromJson)], a)
            : throw Unexpected(body, "a JSON array");
    }

    /// <summary>
    /// <c>DELETE /v2/deployments/{id}</c>: without <paramref name="force"/> a rollback, answered with the new
    /// deployment; with it the plan stops where it is (202, no body), answered with null.
    /// </summary>
    public async Task<DeploymentResult?> CancelDeploymentAsync(string id, bool force, CancellationToken cancellationToken = default)
    {
        var path = ApiPaths.WithQuery("v2/deployments/" + Uri.EscapeDataString(id), ("force", ApiPaths.Flag(force)));
        if (!force)
        {
            return await DeployAsync(HttpMethod.Delete, path, null, cancellationToken);
        }
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.IsSuccessStatusCode ? null : throw await ToApiExceptionAsync(response, cancellationToken);
    }

    /// <summary>
    /// <c>GET /v2/events</c> as Server-Sent Events, filtered by <paramref name="types"/> (all when empty). Yields
    /// (eventType, JSON data) until the server ends the stream or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async IAsyncEnumerable<(string Type, string Data)> StreamEventsAsync(
        IReadOnlyList<string> types,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = "v2/events" + (types.Count == 0 ? "" : "?" + string.Join('&', types.Select(t => "event_type=" + Uri.EscapeDataString(t))));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ToApiExceptionAsync(response, cancellationToken);
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        string? type = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type is not null)
            {
                yield return (type, line["data: ".Length..]);
                type = null;
            }
        }
    }

    public async Task<ApiList<QueueItem>> GetQueueAsync(CancellationToken cancellationToken = default)
    {
        var (body, _) = await SendJsonAsync(HttpMethod.Get, "v2/queue", null, cancellationToken);
        return List(body, "queue", QueueItem.FromJson);
    }

    /// <summary>Harrier's <c>GET /v2/agents</c>: registered agents with total, used and free resources.</summary>
    public async Task<ApiList<AgentSummary>> ListAgentsAsync(CancellationToken cancellationToken = default)
    {
        var (body, _) = await SendJsonAsync(HttpMethod.Get, "v2/agents", null, cancellationToken);
        return List(body, "agents", AgentSummary.FromJson);
    }

    /// <summary>Harrier's <c>POST /v2/agents/{id}/drain</c> (or <c>/undrain</c>): the agent as it is now.</summary>
    public async Task<AgentSummary> SetAgentDrainAsync(string agentId, bool drain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        var (body, _) = await SendJsonAsync(HttpMethod.Post, $"v2/agents/{Uri.EscapeDataString(agentId)}/{(drain ? "drain" : "undrain")}", null, cancellationToken);
        return AgentSummary.FromJson(AsObject(body));
    }

    /// <summary>Harrier's <c>GET /v2/agents/{id}/images</c>: the images in an agent's store.</summary>
    public async Task<ApiList<ImageSummary>> ListImagesAsync(string agentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        var (body, _) = await SendJsonAsync(HttpMethod.Get, $"v2/agents/{Uri.EscapeDataString(agentId)}/images", null, cancellationToken);
        return List(body, "images", ImageSummary.FromJson);
    }

    /// <summary>Harrier's <c>POST /v2/agents/{id}/images</c>: pulls an image into an agent's store (a pull may take
    /// minutes: this call waits up to 15 minutes whatever <see cref="RequestTimeout"/> says).</summary>
    public async Task<ApiList<ImageSummary>> PullImageAsync(string agentId, string image, bool forcePull, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        var saved = RequestTimeout;
        var body = new JsonObject { ["image"] = image, ["forcePull"] = forcePull };
        RequestTimeout = saved < TimeSpan.FromMinutes(15) ? TimeSpan.FromMinutes(15) : saved;
        try
        {
            var (answer, _) = await SendJsonAsync(HttpMethod.Post, $"v2/agents/{Uri.EscapeDataString(agentId)}/images", body, cancellationToken);
            return List(answer, "images", ImageSummary.FromJson);
        }
        finally
        {
            RequestTimeout = saved;
        }
    }

    /// <summary>Harrier's <c>DELETE /v2/agents/{id}/images?image=…</c>.</summary>
    public async Task RemoveImageAsync(string agentId, string image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        await SendJsonAsync(HttpMethod.Delete, $"v2/agents/{Uri.EscapeDataString(agentId)}/images?image={Uri.EscapeDataString(image)}", null, cancellationToken);
    }

    public async Task<ServerInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        var (body, _) = await SendJsonAsync(HttpMethod.Get, "v2/info", null, cancellationToken);
        return ServerInfo.FromJson(AsObject(body));
    }

    // ---- logs -------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Harrier's log endpoint. Yields text chunks as they arrive (not lines: a chunk may end mid-line). With
    /// <paramref name="follow"/> the stream lasts until the task ends or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async IAsyncEnumerable<string> StreamLogsAsync(
        string appId,
        string taskId,
        string stream = "stdout",
        int? tail = null,
        bool follow = false,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = ApiPaths.WithQuery(
            ApiPaths.Task(appId, taskId) + "/logs",
            ("stream", stream),
            ("tail", tail?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("follow", ApiPaths.Flag(follow)));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ToApiExceptionAsync(response, cancellationToken);
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[8192];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        while (true)
        {
            var read = await ReadChunkAsync(body, bytes, cancellationToken);
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: read == 0);
            if (count > 0)
            {
                yield return new string(chars, 0, count);
            }
            if (read == 0)
            {
                yield break;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    // ---- plumbing ---------------------------------------------------------------------------------------------------

    private async Task<DeploymentResult> DeployAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var (answer, header) = await SendJsonAsync(method, path, body, cancellationToken);
        return DeploymentResult.FromJson(AsObject(answer), header);
    }

    private async Task<(JsonNode Body, string? DeploymentId)> SendJsonAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ToApiExceptionAsync(response, cancellationToken);
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var header = response.Headers.TryGetValues(DeploymentIdHeader, out var values) ? values.FirstOrDefault() : null;
        try
        {
            return (JsonNode.Parse(text) ?? throw Unexpected(null, "a JSON body"), header);
        }
        catch (JsonException e)
        {
            throw new HarrierApiException((int)response.StatusCode, $"the server sent invalid JSON: {e.Message}", null, text);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        // The timeout covers connecting and the answer's headers (and the body unless streaming); the caller's own
        // token still means "stop", not "unreachable".
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            return await _http.SendAsync(request, completion, timeout.Token);
        }
        catch (HttpRequestException e)
        {
            throw new HarrierConnectionException(e.Message, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HarrierConnectionException($"no answer within {RequestTimeout.TotalSeconds:0.#} s", e);
        }
    }

    private async Task<int> ReadChunkAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HarrierConnectionException($"the log stream from {Server} broke: {e.Message}", e);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HarrierConnectionException($"the log stream from {Server} broke: {e.Message}", e);
        }
    }

    private static async Task<HarrierApiException> ToApiExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? error = null;
        try
        {
            error = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // Not Marathon's error JSON (a proxy's page, Jetty's 503 text): fall back to the text itself.
        }
        var message = error?.Str("message")
            ?? (string.IsNullOrWhiteSpace(text) || text.Length > 500 ? response.ReasonPhrase ?? $"HTTP {status}" : text.Trim());
        return new HarrierApiException(status, message, error?["details"], text);
    }

    private static ApiList<T> List<T>(JsonNode body, string member, Func<JsonObject, T> map)
    {
        var o = AsObject(body);
        return o[member] is JsonArray items
            ? new ApiList<T>([.. items.OfType<JsonObject>().Select(map)], o)
            : throw Unexpected(body, $"an object with \"{member}\": [...]");
    }

    private static JsonObject Member(JsonNode body, string member) =>
        AsObject(body)[member] as JsonObject ?? throw Unexpected(body, $"an object with \"{member}\": {{...}}");

    private static JsonObject AsObject(JsonNode body) => body as JsonObject ?? throw Unexpected(body, "a JSON object");

    private static HarrierApiException Unexpected(JsonNode? body, string expected)
    {
        var text = body?.ToJsonString() ?? "";
        return new HarrierApiException(200, $"unexpected answer from the server: expected {expected}", null, text);
    }
}
