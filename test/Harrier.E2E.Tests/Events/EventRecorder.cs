using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Harrier.Testing;

namespace Harrier.E2E.Tests.Events;

/// <summary>
/// Records every event of <c>GET /v2/events</c> (SSE) from the moment the stream is attached; disposing closes the
/// stream. Each recorded event is its JSON payload (which carries <c>eventType</c>).
/// </summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly List<JsonNode> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private Task _reader = Task.CompletedTask;

    private EventRecorder(Uri server) => _http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };

    public IReadOnlyList<JsonNode> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public static async Task<EventRecorder> StartAsync(HarrierDev dev)
    {
        var recorder = new EventRecorder(dev.Url);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await recorder._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, recorder._stop.Token);
        response.EnsureSuccessStatusCode();
        recorder._reader = recorder.ReadAsync(response);
        await recorder.WaitForAsync(e => Type(e) == "event_stream_attached", TimeSpan.FromSeconds(10), "event_stream_attached");
        return recorder;
    }

    public static string Type(JsonNode e) => e["eventType"]?.GetValue<string>() ?? "";

    public static string? Str(JsonNode e, string field) => e[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public IReadOnlyList<JsonNode> OfType(string type) => Events.Where(e => Type(e) == type).ToList();

    public async Task<JsonNode> WaitForAsync(Func<JsonNode, bool> match, TimeSpan timeout, string what)
    {
        try
        {
            return await Eventually.WaitAsync(() => Task.FromResult(Events.FirstOrDefault(match)), timeout, what, TimeSpan.FromMilliseconds(50));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; recorded: {Summary()}", e);
        }
    }

    /// <summary>The recorded event types in order, for failure messages.</summary>
    public string Summary(Func<JsonNode, bool>? filter = null) =>
        string.Join(", ", Events.Where(filter ?? (_ => true)).Select(Type));

    private async Task ReadAsync(HttpResponseMessage response)
    {
        try
        {
            using (response)
            await using (var stream = await response.Content.ReadAsStreamAsync(_stop.Token))
            using (var reader = new StreamReader(stream))
            {
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (!line.StartsWith("data:", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    var node = JsonNode.Parse(line["data:".Length..].Trim());
                    if (node is not null)
                    {
                        lock (_events)
                        {
                            _events.Add(node);
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The stream ends when the recorder or the server stops.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _http.Dispose();
        _stop.Dispose();
    }
}
