using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Harrier.Core.Ids;
using Harrier.Protocol;
using Harrier.Protocol.Json;

namespace Harrier.Agent;

/// <summary>
/// The agent's side of the agent protocol over HTTP (<c>harrier agent --server URL</c>): the same
/// <see cref="IAgentGateway"/> the in-process agent uses, carried as JSON (<see cref="ProtocolJson"/>) to the server's
/// <c>/harrier/v1/agents</c> endpoints. Transport errors surface as exceptions; the agent's loops already retry
/// (registration with backoff, unacknowledged updates resent), so nothing here retries on its own.
/// Identity (<see cref="AgentProtocolHeaders"/>): the registration carries the join token and the id's secret; its
/// answer carries a session, which every later call carries. A call the server refuses for its session (401, 403: the
/// server restarted, or another registration took the id) makes the agent register again.
/// </summary>
public sealed class HttpAgentGateway : IAgentGateway, IDisposable
{
    private const string Prefix = "harrier/v1/agents";
    private readonly HttpClient _http;
    private volatile string? _session;

    public HttpAgentGateway(Uri server)
        : this(server, new SocketsHttpHandler(), disposeHandler: true)
    {
    }

    /// <summary>The join secret sent with each registration (<c>--agent-token-file</c>); null: none.</summary>
    public string? JoinToken { get; init; }

    /// <summary>The agent's identity, whose secret proves its id at registration; null: no proof (a legacy id).</summary>
    public AgentIdentity? Identity { get; init; }

    /// <summary>With a handler shared by many agents (the simulator): its connection pool serves them all.</summary>
    public HttpAgentGateway(Uri server, HttpMessageHandler handler, bool disposeHandler)
    {
        ArgumentNullException.ThrowIfNull(server);
        var baseUri = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        // No overall timeout: the command stream stays open for as long as the agent is connected.
        _http = new HttpClient(handler, disposeHandler) { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
    }

    public async ValueTask<RegisterAgentResponse> RegisterAsync(RegisterAgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await PostAsync($"{Prefix}/register", request, TimeSpan.FromSeconds(30), cancellationToken, message =>
        {
            if (JoinToken is { } token)
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            if (Identity is { Secret: { } secret } identity && identity.Id == request.Agent.Id)
            {
                message.Headers.Add(AgentProtocolHeaders.Secret, secret);
            }
        });
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var answer = ProtocolJson.Deserialize<RegisterAgentResponse>(body)
            ?? throw new HttpRequestException("the server answered the registration with an empty body");
        if (answer.Accepted)
        {
            _session = response.Headers.TryGetValues(AgentProtocolHeaders.Session, out var values) ? values.FirstOrDefault() : null;
        }
        return answer;
    }

    public async IAsyncEnumerable<AgentCommand> CommandsAsync(AgentId agentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = WithSession(new HttpRequestMessage(HttpMethod.Get, $"{Prefix}/{Uri.EscapeDataString(agentId.Value)}/commands"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0 && ProtocolJson.Deserialize<AgentCommand>(System.Text.Encoding.UTF8.GetBytes(line)) is { } command)
            {
                yield return command;
            }
        }
    }

    public async ValueTask ReportStatusAsync(TaskStatusUpdate update, CancellationToken cancellationToken)
    {
        using var _ = await PostAsync($"{Prefix}/status", update, TimeSpan.FromSeconds(30), cancellationToken);
    }

    public async ValueTask ReportStatusesAsync(IReadOnlyList<TaskStatusUpdate> updates, CancellationToken cancellationToken)
    {
        using var _ = await PostAsync($"{Prefix}/statuses", updates, TimeSpan.FromSeconds(30), cancellationToken);
    }

    public async ValueTask ReportHealthAsync(TaskHealthReport report, CancellationToken cancellationToken)
    {
        using var _ = await PostAsync($"{Prefix}/health", report, TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>
    /// POSTs the log to <c>/harrier/v1/agents/logs/{requestId}</c> as a chunked body, flushed per chunk so a follow is
    /// live; <c>?missing=true</c> with no body when there is no sandbox. Ends when the log does or the server closes.
    /// </summary>
    public async Task UploadLogsAsync(Guid requestId, IAsyncEnumerable<ReadOnlyMemory<byte>>? chunks, CancellationToken cancellationToken)
    {
        using var request = WithSession(new HttpRequestMessage(HttpMethod.Post, $"{Prefix}/logs/{requestId:D}" + (chunks is null ? "?missing=true" : "")));
        if (chunks is not null)
        {
            request.Content = new ChunkStreamContent(chunks);
        }
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public async ValueTask AnswerQueryAsync(Guid requestId, AgentQueryAnswer answer, CancellationToken cancellationToken)
    {
        using var request = WithSession(new HttpRequestMessage(HttpMethod.Post, $"{Prefix}/queries/{requestId:D}"));
        request.Content = new ByteArrayContent(ProtocolJson.Serialize(answer));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// 204: alive and connected. 409: the server does not hold this agent as connected; 401/403: it does not know this
    /// session (it restarted, or another registration took the id). Either way: register again.
    /// </summary>
    public async ValueTask<bool> HeartbeatAsync(AgentId agentId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var request = WithSession(new HttpRequestMessage(HttpMethod.Post, $"{Prefix}/{Uri.EscapeDataString(agentId.Value)}/heartbeat"));
        using var response = await _http.SendAsync(request, timeout.Token);
        if (response.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            return false;
        }
        response.EnsureSuccessStatusCode();
        return true;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The session of the latest accepted registration on the request (sent on a re-registration too: it proves
    /// that the agent is the one the server knows).</summary>
    private HttpRequestMessage WithSession(HttpRequestMessage request)
    {
        if (_session is { } session)
        {
            request.Headers.Add(AgentProtocolHeaders.Session, session);
        }
        return request;
    }

    private async Task<HttpResponseMessage> PostAsync<T>(string path, T message, TimeSpan timeout, CancellationToken cancellationToken, Action<HttpRequestMessage>? prepare = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        using var request = WithSession(new HttpRequestMessage(HttpMethod.Post, path));
        request.Content = new ByteArrayContent(ProtocolJson.Serialize(message));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        prepare?.Invoke(request);
        var response = await _http.SendAsync(request, cts.Token);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cts.Token);
            response.Dispose();
            throw new HttpRequestException($"{path}: HTTP {(int)response.StatusCode}: {text}");
        }
        return response;
    }
}
