using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Harrier.E2E.Tests.Security;

/// <summary>
/// A hand-written client of the agent protocol over HTTP, as an attacker (or a minimal agent) would write one: it
/// sends exactly the requests a test scripts, with whatever token, session and ids the test chooses.
/// </summary>
internal sealed class FakeProtocolAgent(HarrierDev server)
{
    public const int ProtocolVersion = 7;

    public string? Session { get; private set; }

    public static string Registration(string id, string hostname, string resources = """{"cpus":0,"mem":0,"disk":0,"gpus":0}""", string extra = "") =>
        $$$"""{"protocolVersion":{{{ProtocolVersion}}},"agent":{"id":"{{{id}}}","hostname":"{{{hostname}}}","resources":{{{resources}}}{{{extra}}}},"tasks":[]}""";

    /// <summary>POSTs a registration; keeps the session it is given.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> RegisterAsync(string body, string? token = null, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/harrier/v1/agents/register") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (secret is not null)
        {
            request.Headers.Add("Harrier-Agent-Secret", secret);
        }
        var answer = await SendAsync(request);
        if (answer.Status == HttpStatusCode.OK && answer.Response.Headers.TryGetValues("Harrier-Agent-Session", out var values))
        {
            Session = values.Single();
        }
        return answer;
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        AddSession(request);
        return await SendAsync(request);
    }

    public static string Status(string agentId, string taskId, string state) =>
        $$"""{"updateId":"{{Guid.NewGuid()}}","agentId":"{{agentId}}","taskId":"{{taskId}}","state":"{{state}}","timestamp":"{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""";

    /// <summary>Opens the command stream (headers read); the caller reads lines from the response.</summary>
    public async Task<HttpResponseMessage> OpenCommandsAsync(string agentId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/harrier/v1/agents/{agentId}/commands");
        AddSession(request);
        return await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private void AddSession(HttpRequestMessage request)
    {
        if (Session is not null)
        {
            request.Headers.Add("Harrier-Agent-Session", Session);
        }
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        try
        {
            body = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            body = JsonValue.Create(text);
        }
        return (response.StatusCode, body, response);
    }
}
