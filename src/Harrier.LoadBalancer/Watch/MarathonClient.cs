using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace Harrier.LoadBalancer.Watch;

/// <summary>
/// The two reads a balancer needs from a Harrier server or a Marathon: the full app list with tasks
/// (<c>GET /v2/apps?embed=apps.tasks</c>) and the event stream filtered to the three events that change it, as
/// marathon-lb asked for them. Several servers may be given: each call tries them in order from the last one that
/// answered, and sticks to the one that answers.
/// </summary>
internal sealed class MarathonClient(HttpClient http, IReadOnlyList<Uri> servers)
{
    public const string EventsPath = "v2/events?plan-format=light&event_type=api_post_event&event_type=health_status_changed_event&event_type=status_update_event";

    /// <summary>The largest apps body accepted (a hostile or broken server cannot make the balancer buffer more).</summary>
    public const int MaxAppsBytes = 256 << 20;

    /// <summary>The longest event line accepted.</summary>
    public const int MaxEventLineChars = 4 << 20;

    private int current;

    public Uri Current => servers[current];

    /// <summary>The body of <c>GET /v2/apps?embed=apps.tasks</c> from the first server that answers 200.</summary>
    public async Task<string> ReadAppsAsync(TimeSpan timeout, CancellationToken ct)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < servers.Count; attempt++)
        {
            var index = (current + attempt) % servers.Count;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(servers[index], "v2/apps?embed=apps.tasks"));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
                if (!response.IsSuccessStatusCode)
                {
                    last = new HttpRequestException($"{servers[index]}v2/apps answered {(int)response.StatusCode}");
                    continue;
                }
                if (response.Content.Headers.ContentLength > MaxAppsBytes)
                {
                    throw new InvalidDataException($"{servers[index]}v2/apps: body over {MaxAppsBytes} bytes");
                }
                var body = await BoundedBody.ReadAsync(response.Content, MaxAppsBytes, cts.Token)
                    ?? throw new InvalidDataException($"v2/apps: body over {MaxAppsBytes} bytes");
                current = index;
                return body;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                last = e is OperationCanceledException ? new TimeoutException($"{servers[index]}v2/apps: no answer within {timeout.TotalSeconds:0.#} s") : e;
            }
        }
        throw new HttpRequestException($"no server answered: {last?.Message}", last);
    }

    /// <summary>
    /// The event types of the stream, one per JSON object received, until the stream ends or fails. A data line may
    /// hold several objects separated by <c>\r\n</c> (marathon-lb split them too).
    /// </summary>
    public async IAsyncEnumerable<string> EventsAsync(TimeSpan connectTimeout, [EnumeratorCancellation] CancellationToken ct)
    {
        var server = servers[current];
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, EventsPath));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        HttpResponseMessage response;
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connect.CancelAfter(connectTimeout);
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                current = (current + 1) % servers.Count;
                throw new TimeoutException($"{server}v2/events: no answer within {connectTimeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException)
            {
                current = (current + 1) % servers.Count;
                throw;
            }
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                current = (current + 1) % servers.Count;
                throw new HttpRequestException($"{server}v2/events answered {(int)response.StatusCode}");
            }
            var reader = new BoundedLineReader(await response.Content.ReadAsStreamAsync(ct), MaxEventLineChars);
            while (await reader.ReadLineAsync(ct) is { } text)
            {
                if (!text.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }
                foreach (var json in text[5..].Split("\r\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    yield return EventType(json);
                }
            }
        }
    }

    /// <summary>The <c>eventType</c> of one event object, or empty when it has none (still a reason to re-read).</summary>
    internal static string EventType(string json)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && doc.RootElement.TryGetProperty("eventType", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String
                ? type.GetString() ?? "" : "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }
}
